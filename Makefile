# lognym: plain GNU make. `make run` and `make test` do the whole set-up.
CC      ?= cc
PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build
PKGS    := libpcre2-8 libmaxminddb zlib libcrypto

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN     := -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes -Wmissing-prototypes \
            -Wvla -Wwrite-strings
CFLAGS   ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) $(CFLAGS) $(PKG_CFLAGS) -MMD -MP
LDLIBS_ALL = $(PKG_LIBS) -lm

LIB_SRC  := $(filter-out src/main.c,$(wildcard src/*.c))
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

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

lognym: $(BUILD)/obj/main.o $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/tests/%: tests/unit/%.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< $(LIB) $(LDFLAGS) $(LDLIBS_ALL) -lcmocka

unit: $(UNIT_BIN)

run: deps
	@$(MAKE) --no-print-directory lognym
	./lognym conf/sample.log

test: deps-test
	@$(MAKE) --no-print-directory lognym unit
	@tests/run.sh $(BUILD)

# Debug build: -Werror with AddressSanitizer and UndefinedBehaviorSanitizer.
debug:
	@$(MAKE) --no-print-directory BUILD=build/debug \
	  CFLAGS="-O1 -g -Werror -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	  LDFLAGS="-fsanitize=address,undefined" build/debug/lognym-debug

$(BUILD)/lognym-debug: $(BUILD)/obj/main.o $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

bench: deps
	@$(MAKE) --no-print-directory lognym
	@bench/run.sh

install: lognym
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 0755 lognym $(DESTDIR)$(PREFIX)/bin/lognym
	install -d $(DESTDIR)$(PREFIX)/share/lognym
	install -m 0644 conf/sample.log $(DESTDIR)$(PREFIX)/share/lognym/

clean:
	rm -rf build lognym

-include $(LIB_OBJ:.o=.d) $(BUILD)/obj/main.d
