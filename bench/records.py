#!/usr/bin/python3
"""Writes N handout records (JSON Lines) to stdout: the sample handout with
a file number per record and the patient's name and age varied, so every
document differs."""
import copy
import json
import sys

sample_path, n = sys.argv[1], int(sys.argv[2])
sample = json.load(open(sample_path, encoding="utf-8"))
for i in range(n):
    r = copy.deepcopy(sample)
    r["patient"]["file_number"] = f"SM-{i:06d}"
    r["patient"]["age"] = 20 + i % 60
    print(json.dumps(r, ensure_ascii=False))
