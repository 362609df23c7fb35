# bash completion for varaq: commands, each command's options, option
# values (folders, font families, --dir and the like), bundled template
# names and files. Installed as share/bash-completion/completions/varaq.
# The option lists are checked against `varaq help COMMAND` by the tests
# (tests/cli/man.py), so a new option must be added here too.

# The options of one command, one line.
_varaq_options()
{
    case $1 in
    render | watch)
        echo "-o --output --png --dpi --lenient --spec --strict --no-schema --untagged" \
            "--font-path --root --max-pixels -h --help"
        ;;
    batch)
        echo "-o --output -j --jobs --fail-fast --lenient --spec --strict --no-schema" \
            "--untagged --font-path --root --max-pixels -q --quiet -h --help"
        ;;
    serve)
        echo "--listen -j --jobs --templates --data --max-body --max-requests --timeout --recycle -h --help"
        ;;
    expand) echo "-o --output --lenient --spec --strict -h --help" ;;
    text)
        echo "-o --output --dir --align --font --font-path --size --width --kashida --hyphenate" \
            "-h --help"
        ;;
    fonts) echo "--font-path -h --help" ;;
    esac
}

# The bundled template names: folders holding main.mustache in the data
# folder of the varaq on PATH (beside it, or PREFIX/share/varaq).
_varaq_templates()
{
    local bin dir t
    bin=$(command -v varaq 2>/dev/null) || return
    bin=$(readlink -f "$bin")
    for dir in "${bin%/*}/templates" "${bin%/*}/../share/varaq/templates"; do
        for t in "$dir"/*/main.mustache; do
            [ -e "$t" ] || continue
            t=${t%/main.mustache}
            echo "${t##*/}"
        done
    done
}

_varaq()
{
    local cur prev cmd words
    COMPREPLY=()
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD - 1]}
    if [ "$COMP_CWORD" -eq 1 ]; then
        words="render watch batch serve expand text fonts version help --help --version"
        mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
        return
    fi
    cmd=${COMP_WORDS[1]}
    if [ "$cmd" = help ]; then
        [ "$COMP_CWORD" -eq 2 ] &&
            mapfile -t COMPREPLY < <(compgen -W "render watch batch serve expand text fonts" -- "$cur")
        return
    fi
    case $prev in
    --font-path | --root | --templates | --data)
        mapfile -t COMPREPLY < <(compgen -d -- "$cur")
        return
        ;;
    --dir)
        mapfile -t COMPREPLY < <(compgen -W "rtl ltr auto" -- "$cur")
        return
        ;;
    --align)
        mapfile -t COMPREPLY < <(compgen -W "start end center justify left right" -- "$cur")
        return
        ;;
    --kashida)
        mapfile -t COMPREPLY < <(compgen -W "on off" -- "$cur")
        return
        ;;
    --hyphenate)
        mapfile -t COMPREPLY < <(compgen -W "auto on off" -- "$cur")
        return
        ;;
    --font)
        local IFS=$'\n'
        mapfile -t COMPREPLY < <(compgen -W "$(varaq fonts 2>/dev/null | cut -f1 | sort -u)" -- "$cur")
        return
        ;;
    --dpi | --size | --width | -j | --jobs | --max-pixels | --max-body | --max-requests | \
        --timeout | --recycle | --listen)
        return # a number or an address: nothing to offer
        ;;
    -o | --output)
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
        return
        ;;
    esac
    if [[ $cur == -* ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$(_varaq_options "$cmd")" -- "$cur")
        return
    fi
    # The first argument of a command that takes a template: a bundled
    # name or a file.
    local i args=0
    for ((i = 2; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
        -o | --output | --dpi | --font-path | --root | --max-pixels | -j | --jobs | --font | \
            --size | --width | --dir | --align | --kashida | --hyphenate | --listen | \
            --templates | --data | --max-body | --max-requests | --timeout | --recycle) ((i++)) ;;
        -*) ;;
        *) ((args++)) ;;
        esac
    done
    case $cmd in
    render | watch | batch | expand)
        if [ "$args" -eq 0 ]; then
            mapfile -t COMPREPLY < <(compgen -W "$(_varaq_templates)" -- "$cur")
        fi
        ;;
    esac
    local files
    mapfile -t files < <(compgen -f -- "$cur")
    COMPREPLY+=("${files[@]}")
}

complete -o filenames -F _varaq varaq
