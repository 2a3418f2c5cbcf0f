# fault.sh: fault injection, quick variant (`make test`); .ci/run runs the full one.
# Every write, fsync, rename, open and malloc failure (sampled past 24 calls)
# in `lognym FILE -o OUT` and `lognym rotate FILE`: see tests/fault/run.sh.
exec sh "$(dirname "$0")/../fault/run.sh" quick
