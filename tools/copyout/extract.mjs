// The text each viewer's PDF engine gives, one page after another.
//   node extract.mjs pdf.js|pdfium|mupdf FILE.pdf
// pdf.js: the items of getTextContent joined as Firefox's text layer lays
// them out for a copy (nothing between items, a line break where hasEOL).
// pdfium: FPDFText_GetText per page, as Chrome and Edge extract.
// mupdf: structured text with whitespace kept, line by line (MuPDF 1.28).
import { readFileSync } from "node:fs";

const [engine, file] = process.argv.slice(2);
const bytes = readFileSync(file);
let out = "";

if (engine === "pdf.js") {
  const { getDocument } = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const doc = await getDocument({ data: new Uint8Array(bytes), verbosity: 0, useSystemFonts: false })
    .promise;
  for (let n = 1; n <= doc.numPages; n++) {
    const content = await (await doc.getPage(n)).getTextContent();
    for (const item of content.items) out += item.str + (item.hasEOL ? "\n" : "");
    out += "\n";
  }
} else if (engine === "pdfium") {
  const { PDFiumLibrary } = await import("@hyzyla/pdfium");
  const lib = await PDFiumLibrary.init();
  const doc = await lib.loadDocument(bytes);
  for (const page of doc.pages()) out += page.getText() + "\n";
  doc.destroy();
  lib.destroy();
} else if (engine === "mupdf") {
  const mupdf = await import("mupdf");
  const doc = mupdf.Document.openDocument(bytes, "application/pdf");
  for (let n = 0; n < doc.countPages(); n++)
    out += doc.loadPage(n).toStructuredText("preserve-whitespace").asText() + "\n";
} else {
  console.error(`extract.mjs: unknown engine '${engine}' (pdf.js, pdfium, mupdf)`);
  process.exit(2);
}
process.stdout.write(out);
