# lognym: plain GNU make. `make run` and `make test` do the whole set-up.
CC      ?= cc
PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build
PKGS    := libpcre2-8 libmaxminddb zlib libcrypto yaml-0.1

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN     := -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes -Wmissing-prototypes \
            -Wvla -Wwrite-strings
CFLAGS   ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) $(CFLAGS) $(INCLUDES) $(PKG_CFLAGS) -pthread -MMD -MP
LDLIBS_ALL = $(PKG_LIBS) -lm -pthread

# src/ holds one folder per pipeline stage (docs/architecture.md); each folder
# is on the include path, so sources include headers by their bare names.
SRC_DIRS := src $(patsubst %/,%,$(sort $(wildcard src/*/)))
INCLUDES := $(addprefix -I,$(SRC_DIRS))
LIB_SRC  := $(filter-out src/main.c,$(foreach d,$(SRC_DIRS),$(wildcard $(d)/*.c)))
LIB_OBJ  := $(LIB_SRC:src/%.c=$(BUILD)/obj/%.o)
LIB      := $(BUILD)/liblognym.a
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all run test unit deps deps-test bench install clean debug
all: lognym

deps:
	@scripts/install-deps.sh build
deps-test:
	@scripts/install-deps.sh test

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

# Where installed data (filters/, the bot list, the country database) is
# looked for (lgn_datafile_find): the installed share dir, and this tree's
# filters/ and deps/ (scripts/install-deps.sh) for binaries built under it.
$(BUILD)/obj/common/datafile.o: ALL_CFLAGS += -DLGN_SHARE_DIR='"$(PREFIX)/share/lognym"' \
	-DLGN_SOURCE_DIR='"$(CURDIR)"'

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

lognym: $(BUILD)/obj/main.o $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

# Every unit test links the shared fixtures of tests/unit/testutil.h.
UNIT_UTIL = $(BUILD)/tests/testutil.o
$(UNIT_UTIL): tests/unit/testutil.c tests/unit/testutil.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/tests/%: tests/unit/%.c tests/unit/testutil.h $(UNIT_UTIL) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(UNIT_UTIL) $(LIB) $(LDFLAGS) $(LDLIBS_ALL) -lcmocka

unit: $(UNIT_BIN)

# The sample log anonymised, then the analyst's view of it (K=1: the sample
# has only a few visitors; real reports keep the default of 5).
run: deps
	@$(MAKE) --no-print-directory lognym
	@echo "== lognym conf/sample.log: the anonymised log =="
	@./lognym conf/sample.log
	@echo
	@echo "== lognym stats --min-visitors 1 conf/sample.log: its statistics =="
	@./lognym stats --min-visitors 1 conf/sample.log

test: deps-test
	@$(MAKE) --no-print-directory lognym unit
	@tests/run.sh $(BUILD)

# Debug build: -Werror with AddressSanitizer and UndefinedBehaviorSanitizer,
# the tool and the unit tests in build/debug. Run the whole suite against it
# with `tests/run.sh build/debug` (it picks build/debug/lognym for CLI tests).
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
debug:
	@$(MAKE) --no-print-directory BUILD=build/debug \
	  CFLAGS="-O1 -g -Werror $(SAN_FLAGS)" LDFLAGS="$(SAN_FLAGS)" \
	  build/debug/lognym unit

$(BUILD)/lognym: $(BUILD)/obj/main.o $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

# Static checks on src/: cppcheck, clang-tidy (.clang-tidy), clang-format.
# Known false positives: tests/lint/*.supp. Packages: scripts/install-deps.sh ci.
.PHONY: lint
lint:
	@tests/lint/layers.sh
	@LINT_CFLAGS="-std=c11 -D_POSIX_C_SOURCE=200809L $(INCLUDES) $(PKG_CFLAGS)" tests/lint/run.sh

# libFuzzer targets (tests/fuzz/fuzz_*.c), built with clang, ASan and UBSan in
# build/fuzz. `make fuzz` replays tests/fuzz/regress/ and the seed corpora in
# tests/fuzz/corpus/, then fuzzes each target FUZZ_TIME seconds (0: replay only).
FUZZ_TIME ?= 45
FUZZ_SAN  := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_BIN   = $(patsubst tests/fuzz/%.c,build/fuzz/bin/%,$(wildcard tests/fuzz/fuzz_*.c))
.PHONY: fuzz fuzz-build
fuzz: fuzz-build
	@tests/fuzz/run.sh build/fuzz/bin $(FUZZ_TIME)
fuzz-build:
	@$(MAKE) --no-print-directory BUILD=build/fuzz CC=clang \
	  CFLAGS="-O1 -g $(FUZZ_SAN) -fsanitize=fuzzer-no-link" \
	  LDFLAGS="$(FUZZ_SAN) -fsanitize=fuzzer" $(FUZZ_BIN)
$(BUILD)/bin/fuzz_%: tests/fuzz/fuzz_%.c $(wildcard tests/fuzz/*.h) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB) $(LDFLAGS) $(LDLIBS_ALL)

# valgrind memcheck (errors, definite leaks) over the CLI on ../shared/corpus.
.PHONY: valgrind
valgrind: lognym
	@tests/memcheck/run.sh

bench: deps
	@$(MAKE) --no-print-directory lognym
	@bench/run.sh

# lognym stats against lognym-dask on 1 and 2 local workers (bench/dask.sh).
.PHONY: bench-dask
bench-dask: deps
	@$(MAKE) --no-print-directory lognym
	@bench/dask.sh

# Data fetched from npm at a pinned version (scripts/install-deps.sh).
GEO_DB := deps/geo-whois-asn-country.mmdb
$(GEO_DB):
	@scripts/install-deps.sh data

install: lognym $(GEO_DB)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 0755 lognym $(DESTDIR)$(PREFIX)/bin/lognym
	install -m 0755 scripts/lognym-dask $(DESTDIR)$(PREFIX)/bin/lognym-dask
	install -m 0644 lognym.1 $(DESTDIR)$(PREFIX)/share/man/man1/lognym.1
	install -d $(DESTDIR)$(PREFIX)/share/lognym
	install -m 0644 conf/sample.log $(GEO_DB) $(DESTDIR)$(PREFIX)/share/lognym/
	install -d $(DESTDIR)$(PREFIX)/share/lognym/filters
	install -m 0644 filters/*.rules filters/README.md $(DESTDIR)$(PREFIX)/share/lognym/filters/
	@[ -f deps/crawler-user-agents.json ] || scripts/install-deps.sh data
	install -m 0644 deps/crawler-user-agents.json $(DESTDIR)$(PREFIX)/share/lognym/

clean:
	rm -rf build lognym

-include $(LIB_OBJ:.o=.d) $(BUILD)/obj/main.d $(UNIT_UTIL:.o=.d) $(UNIT_BIN:=.d)
