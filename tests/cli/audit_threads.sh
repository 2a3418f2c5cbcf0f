# audit_threads.sh: lognym audit on worker threads (issue 12, performance).
# The report must be that of one thread for any input: the same kinds in the
# same order, counts, fields of the first findings, first lines (file, line
# number, in input order) and exit code, whatever batch (BATCH_LINES = 1024
# lines, src/pipeline.c) a finding falls into. Checked against a model of the
# planted findings (not only -j 4 against -j 1, which could share a mistake),
# on gzip and stdin input, on bad input, and on the shared corpus.
. "$(dirname "$0")/../lib.sh"
need jq

T1='[10/Oct/2025:13:55:36 +0200]'

# plant SEED LINES FILE_LABEL >LOG 3>>MODEL: a combined log whose every line
# is clean (addresses in truncate's output form) but the planted ones: fixed
# plants either side of the batch boundaries 1024/1025 and 2048/2049, a bad
# line and (LONG=1) a line over lognym's 1 MiB limit, plus random plants
# (srand(SEED)). Each plant appends "FILE LINE KIND FIELD COUNT" to fd 3: what
# one line adds to the report.
plant() {
    awk -v seed="$1" -v n="$2" -v file="$3" -v long="${LONG:-0}" -v T1="$T1" '
    function line(addr, req, ref) {
        return addr " - - " T1 " \"GET " req " HTTP/1.1\" 200 1 \"" ref "\" \"UA\""
    }
    function model(kind, field, count) {
        printf "%s %d %s %s %d\n", file, i, kind, field, count >"/dev/fd/3"
    }
    function planted(k, clean) {
        if (k == 0) { model("token", "%r", 1); return line(clean, "/p" i "?token=s3cr3tTok3n" i, "-") }
        if (k == 1) { model("email", "%{Referer}i", 1); return line(clean, "/p" i, "https://r.example/?email=jane" i "%40example.com") }
        if (k == 2) { model("email", "%r", 1); return line(clean, "/p" i "?email=jane" i "%40example.com", "-") }
        if (k == 3) { model("address", "%h", 1); return line("192.0.2." (1 + i % 250), "/p" i, "-") }
        if (k == 4) { model("phone", "%r", 2); return line(clean, "/p" i "?mobile=09121234567&tel=09121234568", "-") }
        model("card", "line", 1); return "no log format here, card 4111111111111111 end " i
    }
    BEGIN {
        srand(seed)
        fixed[1024] = 0; fixed[1025] = 3; fixed[2048] = 1; fixed[2049] = 2; fixed[3000] = 5
        for (i = 1; i <= n; i++) {
            clean = "10.0." (i % 250) ".0"
            if (long && i == 2500) {
                s = "x"
                while (length(s) <= 1048576) s = s s
                model("unread-long-line", "line", 1)
                print s
            } else if (i in fixed) {
                print planted(fixed[i], clean)
            } else if (rand() < 0.004) {
                print planted(int(rand() * 6), clean)
            } else {
                print line(clean, "/p" i, "-")
            }
        }
    }'
}

# expected json|text LINES FILES <MODEL: the report audit must give (--json,
# or the text one), built from the model: kinds in order of their first
# finding, the field of that finding, counts, the first 5 places (a line once).
expected() {
    awk -v mode="$1" -v lines="$2" -v files="$3" '
    {
        k = $3
        if (!(k in count)) { order[nk++] = k; field[k] = $4; count[k] = 0; nf[k] = 0 }
        count[k] += $5
        if (nf[k] < 5) { file[k, nf[k]] = $1; line[k, nf[k]++] = $2 }
    }
    function text() {
        if (nk == 0) printf "clean: nothing found in %d lines of %d file%s\n", lines, files, files == 1 ? "" : "s"
        else printf "found: %d kind%s of personal data in %d lines of %d file%s\n", nk, nk == 1 ? "" : "s", lines, files, files == 1 ? "" : "s"
        for (j = 0; j < nk; j++) {
            k = order[j]
            printf "  %-16s %10d  in %-12s first at", k, count[k], field[k]
            for (f = 0; f < nf[k]; f++) printf "%s %s:%d", f ? "," : "", file[k, f], line[k, f]
            printf "\n"
        }
    }
    function json() {
        printf "{\"lines\":%d,\"files\":%d,\"clean\":%s,\"addresses_are_pseudonyms\":false,\"findings\":[", lines, files, nk ? "false" : "true"
        for (j = 0; j < nk; j++) {
            k = order[j]
            printf "%s{\"kind\":\"%s\",\"field\":\"%s\",\"count\":%d,\"first\":[", j ? "," : "", k, field[k], count[k]
            for (f = 0; f < nf[k]; f++) printf "%s{\"file\":\"%s\",\"line\":%d}", f ? "," : "", file[k, f], line[k, f]
            printf "]}"
        }
        print "]}"
    }
    END { if (mode == "json") json(); else text() }'
}

# runs NAME ARGS... (stdin as given): lognym audit ARGS with -j 1, -j 4 and the
# default threads; outputs in $T/NAME.{1,4,d}.{out,err,rc}.
runs() {
    name=$1
    shift
    cat >"$T/runs.in"
    for j in 1 4 d; do
        if [ "$j" = d ]; then
            "$LOGNYM" audit "$@"
        else
            "$LOGNYM" audit -j "$j" "$@"
        fi <"$T/runs.in" >"$T/$name.$j.out" 2>"$T/$name.$j.err"
        echo $? >"$T/$name.$j.rc"
    done
}

# alike NAME: -j 4 and the default gave what -j 1 gave (stdout, stderr, exit code).
alike() {
    for j in 4 d; do
        for x in out err rc; do
            same "$1: $x with -j $j as with -j 1" "$T/$1.1.$x" "$T/$1.$j.$x"
        done
    done
}

# ---- planted findings against the model, several seeds --------------------
for seed in ${AUDIT_SEED:-1 2 3}; do
    : >"$T/model"
    LONG=1 plant "$seed" 6000 "$T/a.log" >"$T/a.log" 3>>"$T/model"
    plant "$((seed + 100))" 4500 "$T/b.log.gz" 3>>"$T/model" | gzip -c >"$T/b.log.gz"
    expected json 10500 2 <"$T/model" >"$T/want.json"
    expected text 10500 2 <"$T/model" >"$T/want.txt"
    check "seed $seed: plants past the first batches of each file" \
        sh -c "awk '\$1 ~ /a.log/ && \$2 > 3072' '$T/model' | grep -q . && awk '\$1 ~ /b.log/ && \$2 > 3072' '$T/model' | grep -q ."
    runs "p$seed" --json "$T/a.log" "$T/b.log.gz" </dev/null
    runs "t$seed" "$T/a.log" "$T/b.log.gz" </dev/null
    for j in 1 4 d; do
        same "seed $seed, -j $j: --json is the model's report (kinds, fields, counts, first lines)" \
            "$T/want.json" "$T/p$seed.$j.out"
        same "seed $seed, -j $j: the text report is the model's" "$T/want.txt" "$T/t$seed.$j.out"
        check "seed $seed, -j $j: exit 1" [ "$(cat "$T/p$seed.$j.rc")" -eq 1 ]
    done
    alike "p$seed"
    alike "t$seed"
    absent "seed $seed: no planted value in any report or message" \
        -E 's3cr3tTok3n|jane|09121234567|4111111111111111|192\.0\.2\.' "$T/p$seed".* "$T/t$seed".*
done

# stdin, plain and gzip: "(stdin)" and the same line numbers
: >"$T/model"
plant 7 3500 "(stdin)" >"$T/s.log" 3>>"$T/model"
expected json 3500 1 <"$T/model" >"$T/want.json"
runs stdin --json <"$T/s.log"
same "stdin, -j 4: --json is the model's report" "$T/want.json" "$T/stdin.4.out"
alike stdin
gzip -c "$T/s.log" | runs stdin-gz --json
same "gzip on stdin, -j 4: --json is the model's report" "$T/want.json" "$T/stdin-gz.4.out"
alike stdin-gz

# clean input: exit 0 on any number of threads
awk -v T1="$T1" 'BEGIN { for (i = 1; i <= 3000; i++) printf "10.0.%d.0 - - %s \"GET /p%d HTTP/1.1\" 200 1 \"-\" \"UA\"\n", i % 250, T1, i }' >"$T/clean.log"
runs clean "$T/clean.log" </dev/null
check "clean log, -j 4: exit 0, says clean" sh -c "[ \$(cat '$T/clean.4.rc') -eq 0 ] && grep -q '^clean: nothing found in 3000 lines of 1 file' '$T/clean.4.out'"
alike clean

# bad input: the same exit codes and messages (naming the file) on threads
head -c $(($(wc -c <"$T/b.log.gz") / 2)) "$T/b.log.gz" >"$T/cut.gz"
runs cut --json "$T/a.log" "$T/cut.gz" "$T/missing.log" </dev/null
check "cut gzip and a missing file, -j 4: exit 3, both named on stderr" \
    sh -c "[ \$(cat '$T/cut.4.rc') -eq 3 ] && grep -q 'cut.gz: gzip data truncated' '$T/cut.4.err' && grep -q 'missing.log: cannot open' '$T/cut.4.err'"
check "cut gzip, -j 4: the lines before the cut are reported (JSON of all inputs)" \
    sh -c "jq -e '.files == 3 and .lines > 6000' '$T/cut.4.out' >/dev/null"
alike cut
"$LOGNYM" audit -j x "$T/a.log" >/dev/null 2>"$T/e"
rc=$?
check "-j x: usage error, exit 2, naming the option" sh -c "[ $rc -eq 2 ] && grep -q threads '$T/e'"

# the threads are really there: -j 4 runs 4 workers besides the reading thread
if [ -d /proc/self/task ]; then
    mkfifo "$T/fifo"
    "$LOGNYM" audit -q -j 4 <"$T/fifo" &
    pid=$!
    exec 3>"$T/fifo"
    head -n 3000 "$T/clean.log" >&3
    tasks=0
    for _ in $(seq 50); do
        tasks=$(ls /proc/$pid/task 2>/dev/null | wc -l)
        [ "$tasks" -ge 5 ] && break
        sleep 0.1
    done
    exec 3>&-
    wait $pid
    check "-j 4: audit runs 4 worker threads (saw $tasks threads)" [ "$tasks" -ge 5 ]
else
    echo "# skip: no /proc/PID/task to count threads"
fi

# the shared corpus: a real log whose findings span many batches, and every
# corpus file in one run
if have_shared corpus; then
    C="$SHARED/corpus"
    runs elastic --json "$C/apache-combined-elastic.log" </dev/null
    check "corpus: first lines of apache-combined-elastic.log span several batches" \
        sh -c "jq -e '[.findings[].first[].line] | max > 2048' '$T/elastic.1.out' >/dev/null"
    alike elastic
    runs corpus "$C"/*.log </dev/null
    check "corpus, all files in one run: exit 1" [ "$(cat "$T/corpus.4.rc")" -eq 1 ]
    alike corpus
fi
exit $((nfail > 0))
