# bash completion for rescalesim(1): commands, each command's options, the
# values of --scheduler, --format and `import`, and file names elsewhere.
# Installed as PREFIX/share/bash-completion/completions/rescalesim.

_rescalesim ()
{
  local cur prev cmd
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD-1]}
  local commands="run validate compare plot check sweep merge rules import calibrate help"
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
    return
  fi
  cmd=${COMP_WORDS[1]}
  case $prev in
    --scheduler|-s)
      COMPREPLY=($(compgen -W "default adaptive reactive" -- "$cur"))
      return ;;
    --format|-f)
      COMPREPLY=($(compgen -W "png svg both" -- "$cur"))
      return ;;
    --out|-o|--baseline|-b|--write-baseline|--junit|--flink-conf|--plan)
      COMPREPLY=($(compgen -f -- "$cur"))
      return ;;
    --seed|--seeds|-n|--jobs|-j|--shard|--shards|--schedulers|--version|--flink-version|--name)
      return ;;
  esac
  local opts
  case $cmd in
    run) opts="--scheduler --seed --out --flink-conf --json --stats --quiet --help" ;;
    validate) opts="--help" ;;
    compare) opts="--seeds --schedulers --out --json --quiet --help" ;;
    plot) opts="--format --out --help" ;;
    check) opts="--baseline --write-baseline --json --junit --help" ;;
    sweep) opts="--jobs --out --shard --shards --keep-runs --quiet --help" ;;
    merge) opts="--out --quiet --help" ;;
    rules) opts="--version --json --help" ;;
    import) opts="--flink-version --plan --name --out --help"
      if [ "$COMP_CWORD" -eq 2 ]; then
        COMPREPLY=($(compgen -W "plan deployment" -- "$cur"))
        return
      fi ;;
    calibrate) opts="--out --help" ;;
    help) COMPREPLY=($(compgen -W "$commands" -- "$cur")); return ;;
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
  else
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -o filenames -F _rescalesim rescalesim
