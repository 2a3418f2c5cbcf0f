/* ua.c: user-agent classification: uap-core rules (PCRE2 JIT), bot and device-type rules, cache. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "ua.h"

#include <errno.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "botlist.h"
#include "hash.h"
#include "lazyjit.h"
#include "namelist.h"
#include "reportable.h"
#include "strdup.h"

/*
 * How a miss is classified: the uap-core user_agent_parsers, os_parsers and
 * device_parsers (first matching rule of each list wins, as in the reference
 * parsers), then our bot list and device-type rules. Each list is a ruleset of
 * PCRE2 regexes. Running ~1,200 regexes per user agent is the cost of a miss,
 * so every regex gets a literal prefilter where one can be proved: a set of
 * strings, one of which any match must contain (case-folded). One pass over
 * the lower-cased user agent marks the literals present (a table indexed by
 * their first two bytes), and a rule whose literals are all absent is skipped
 * without calling PCRE2. The prefilter is conservative: a regex construct the
 * analyser does not understand leaves that rule without one (always tried).
 */

/* ---- rules ------------------------------------------------------------- */

enum set { SET_UA, SET_OS, SET_DEV, SET_BOT, SET_TYPE, NSETS };
#define NYAML 3 /* the sets loaded from regexes.yaml */

#define NREPL 5 /* family + up to four version fields */

struct rule {
    struct lgn_lazyjit re; /* JIT-compiled when first tried */
    char *repl[NREPL];     /* owned; NULL = the default for that field */
    uint32_t *lits; /* owned: literal ids, one of which a match contains; NULL = always try */
    uint32_t nlits;
    const char *name; /* own rules: bot family or device type name (static) */
};

struct ruleset {
    struct rule *v;
    size_t n, cap;
};

/* The section of regexes.yaml and the replacement keys, by field index. */
static const char *const section_names[NYAML] = {"user_agent_parsers", "os_parsers",
                                                 "device_parsers"};
static const char *const repl_keys[NYAML][NREPL] = {
    {"family_replacement", "v1_replacement", "v2_replacement", "v3_replacement", "v4_replacement"},
    {"os_replacement", "os_v1_replacement", "os_v2_replacement", "os_v3_replacement",
     "os_v4_replacement"},
    {"device_replacement", "brand_replacement", "model_replacement", NULL, NULL},
};

/* ---- own rules: bots and device types (documented in docs/devices.md) -- */

struct own_rule {
    const char *name; /* bot family (NULL: taken from the user agent), or device type name */
    const char *pattern;
};

/* HTTP libraries, command-line tools, monitors, automation and the common
 * crawlers, named. Tried in order; the first match names the bot family. */
static const struct own_rule bot_rules[] = {
    /* search engines and crawlers (named here so their family is stable) */
    {"Googlebot", "Googlebot"},
    {"Google-InspectionTool", "Google-InspectionTool"},
    {"AdsBot-Google", "AdsBot-Google"},
    {"Mediapartners-Google", "Mediapartners-Google"},
    {"Storebot-Google", "Storebot-Google"},
    {"GoogleOther", "GoogleOther"},
    {"Google-Read-Aloud", "Google-Read-Aloud"},
    {"FeedFetcher-Google", "(?i)FeedFetcher-Google"},
    /* feed readers fetch on a schedule, not for a person at the screen */
    {"Feed reader", "(?i)UniversalFeedParser|Tiny Tiny RSS|FeedBurner|Feedbin|Feed ?Fetcher|"
                    "feedly|NewsBlur|Inoreader|FreshRSS|Miniflux|Superfeedr|\\bRSS ?reader"},
    {"bingbot", "(?i)bingbot"},
    {"BingPreview", "BingPreview"},
    {"AdIdxBot", "adidxbot|AdIdxBot"},
    {"YandexBot", "Yandex[A-Za-z]*Bot|YandexBot|YandexImages|YandexMetrika|YandexMobileBot"},
    {"Baiduspider", "(?i)baiduspider"},
    {"DuckDuckBot", "DuckDuckBot|DuckDuckGo-Favicons-Bot"},
    {"Applebot", "Applebot"},
    {"Yahoo! Slurp", "Yahoo! Slurp"},
    {"SeznamBot", "SeznamBot"},
    {"Sogou", "Sogou [a-z ]*[Ss]pider"},
    {"PetalBot", "PetalBot|AspiegelBot"},
    {"Qwantbot", "Qwantify|Qwantbot"},
    {"Exabot", "Exabot"},
    {"AhrefsBot", "AhrefsBot|AhrefsSiteAudit"},
    {"SemrushBot", "SemrushBot|SiteAuditBot"},
    {"MJ12bot", "MJ12bot"},
    {"DotBot", "DotBot"},
    {"BLEXBot", "BLEXBot"},
    {"DataForSeoBot", "DataForSeoBot"},
    {"serpstatbot", "serpstatbot"},
    {"Screaming Frog", "Screaming Frog"},
    {"CCBot", "CCBot"},
    {"GPTBot", "GPTBot|ChatGPT-User|OAI-SearchBot"},
    {"ClaudeBot", "ClaudeBot|Claude-Web|Claude-User|anthropic-ai"},
    {"PerplexityBot", "PerplexityBot|Perplexity-User"},
    {"Bytespider", "Bytespider"},
    {"Amazonbot", "Amazonbot"},
    {"archive.org_bot", "archive\\.org_bot|ia_archiver"},
    /* link previews */
    {"facebookexternalhit", "facebookexternalhit|meta-externalagent|Facebot"},
    {"Twitterbot", "Twitterbot"},
    {"LinkedInBot", "LinkedInBot"},
    {"Slackbot", "Slackbot|Slack-ImgProxy"},
    {"Discordbot", "Discordbot"},
    {"TelegramBot", "TelegramBot"},
    {"WhatsApp", "^WhatsApp/"},
    {"Pinterestbot", "Pinterestbot|Pinterest/0\\."},
    {"Embedly", "Embedly"},
    /* uptime monitors, performance testers, automation */
    {"UptimeRobot", "UptimeRobot"},
    {"Pingdom", "Pingdom"},
    {"StatusCake", "StatusCake"},
    {"Site24x7", "Site24x7"},
    {"Datadog", "Datadog"},
    {"NewRelicPinger", "NewRelicPinger"},
    {"Better Uptime", "Better ?Uptime|BetterStack"},
    {"Uptime Kuma", "Uptime-Kuma"},
    {"Freshping", "Freshping"},
    {"Checkly", "Checkly"},
    {"Catchpoint", "Catchpoint"},
    {"GTmetrix", "GTmetrix"},
    {"Lighthouse", "Chrome-Lighthouse|Lighthouse"},
    {"WebPageTest", " PTST/"},
    {"HeadlessChrome", "HeadlessChrome"},
    {"PhantomJS", "PhantomJS"},
    {"Zabbix", "Zabbix"},
    {"Nagios", "check_http|monitoring-plugins|Nagios"},
    {"Prometheus", "Prometheus|Blackbox Exporter"},
    {"kube-probe", "kube-probe"},
    {"ELB-HealthChecker", "ELB-HealthChecker"},
    {"GoogleHC", "GoogleHC"},
    {"Route53-Health-Check", "Amazon-Route53-Health-Check"},
    /* HTTP libraries and command-line clients */
    {"curl", "^curl/|\\blibcurl/|^curl$"},
    {"Wget", "(?i)^wget"},
    {"python-requests", "python-requests/"},
    {"Python-urllib", "Python-urllib/"},
    {"python-httpx", "python-httpx/"},
    {"aiohttp", "aiohttp/"},
    {"Scrapy", "Scrapy/"},
    {"Go-http-client", "Go-http-client/"},
    {"Java", "^Java/|Apache-HttpClient/|Apache-HttpAsyncClient/|Jakarta Commons-HttpClient"},
    {"okhttp", "^okhttp/"},
    {"axios", "^axios/"},
    {"node-fetch", "^node-fetch|^undici|^node$|^Node\\.js/"},
    {"libwww-perl", "libwww-perl/|^LWP::|WWW-Mechanize/"},
    {"Ruby", "^Ruby$|^Faraday v|^rest-client/|^http\\.rb/|^Typhoeus"},
    {"PHP", "GuzzleHttp/|^PHP/|^WordPress/"},
    {"HTTPie", "^HTTPie/"},
    {"PostmanRuntime", "^PostmanRuntime/|^insomnia/"},
    {"reqwest", "^reqwest/|^hyper/"},
    {"Dart", "^Dart/"},
    {"colly", "colly - https://github\\.com/gocolly"},
    {"HTTrack", "HTTrack"},
    {"aria2", "^aria2/"},
    {"WinHTTP", "^WinHTTP|^Microsoft WinHTTP"},
    /* scanners */
    {"Nmap", "Nmap Scripting Engine"},
    {"masscan", "masscan"},
    {"zgrab", "zgrab"},
    {"Nuclei", "Nuclei"},
    {"sqlmap", "sqlmap/"},
    {"Nikto", "Nikto"},
    {"Censys", "CensysInspect"},
    {"Expanse", "Expanse, a Palo Alto Networks"},
    /* generic words; the family is then taken from the user agent */
    {NULL, "(?i)crawl|spider|scraper"},
    {NULL, "(?<![Cc]u)[Bb]ot\\b"},
    {NULL, "\\bMonitoring/"},
};
#define NBOT_RULES (sizeof bot_rules / sizeof bot_rules[0])

/* Device types from the user agent, tried in order; the first match wins.
 * The name is an lgn_ua_device_name(). Bots are decided before these, and
 * the fallbacks after them are in classify(). See docs/devices.md. */
static const struct own_rule device_rules[] = {
    /* 1. game consoles and handhelds (before desktop: Xbox sends Windows NT) */
    {"console", "PlayStation|PLAYSTATION|\\bPSP\\b|\\bXbox\\b|\\bXBOX\\b|Nintendo|\\bWii(?:U|\\b)|"
                "Dreamcast|\\bOUYA\\b|ARCHOS GAMEPAD"},
    /* 2. televisions, set-top boxes, streaming sticks */
    {"tv", "SmartTV|SMART-TV|Smart-TV|SMART_TV|SmartTv|\\bHbbTV|HBBTV/|Web0S|webOS\\.TV|"
           "WebOS TV|webOSTV|\\bNetCast|AppleTV|Apple ?TV|\\btvOS\\b|\\bRoku|\\bAFT[A-Z]|"
           "\\bCrKey\\b|GoogleTV|Google ?TV|Android ?TV|\\bBRAVIA|Tizen[^;)]{0,40}\\bTV\\b|"
           "\\bTV Safari|Opera TV|\\bOMI/|NETTV/|\\bVIERA\\b|SmartHub|\\bDTV\\b|TSBNetTV|"
           "PhilipsTV|\\bHisense|VIDAA|\\bMiTV|\\bMIBOX|SHIELD Android TV|\\bFireTV|WebTV|"
           "\\bAndroid [0-9.]+; [^;)]*\\bTV\\b|\\bTV; |_TV_|\\bTV Box\\b|\\bKylo/|Espial"},
    /* 3. watches and other wearables */
    {"wearable", "watchOS|Watch OS|\\bWatch[0-9],|Apple Watch|\\bWear ?OS|"
                 "\\bWatch(?: [A-Za-z0-9]+)?(?: Build|[;)])|\\bZenWatch\\b|\\bSM-R[0-9]{3}|"
                 "\\bGlass [0-9]|\\bFitbit"},
    /* 4. phones whose user agent also holds a tablet or desktop marker */
    {"mobile", "iPhone|iPod|Windows Phone|IEMobile|Windows Mobile|Windows CE|BlackBerry|"
               "\\bBB10\\b|Opera Mini|Opera Mobi"},
    /* 5. tablets, by explicit markers */
    {"tablet", "iPad|\\bTablet\\b(?! PC)|\\bKindle|\\bSilk/|PlayBook|\\bKF[A-Z]{2,5}(?: Build|\\))|"
               "Nexus (?:7|9|10)\\b|\\bSM-[TPX][0-9]{3}|\\bGT-[PN][0-9]{4}|Pixel C\\b|"
               "Pixel Tablet|MediaPad|MatePad|Lenovo TB|Lenovo Tab|Redmi Pad|Xiaomi Pad|"
               "\\bTouchPad\\b|Windows NT [0-9.]+; ARM;.*\\bTouch\\b"},
    /* 6. phones, by mobile markers (Android phones say "Mobile") */
    {"mobile", "\\bMobile\\b|\\bMobi\\b|Dalvik|KaiOS|Symbian|SymbOS|Series ?[46]0|\\bS60\\b|"
               "\\bMIDP|J2ME|\\bCLDC\\b|UP\\.Browser|Obigo|NetFront|Openwave|\\bBREW\\b|"
               "\\bBrew MP\\b|\\bMAUI\\b|Nokia|NOKIA|\\bwebOS\\b|hpwOS|\\bPalm|\\bBada\\b|"
               "UCBrowser|UCWEB|Fennec|Maemo|MeeGo|Sailfish|Ubuntu Touch|\\bTizen\\b|"
               "Firefox OS|\\bHarmonyOS\\b"},
    /* 7. Android without any mobile marker: a tablet */
    {"tablet", "\\bAndroid\\b"},
    /* 8. desktops and laptops */
    {"desktop", "Windows NT|Windows 9[58]|Windows 2000|Windows XP|Win(?:98|95|NT|32|64)\\b|"
                "Macintosh|Mac OS X|\\bmacOS\\b|Mac_PowerPC|\\bX11\\b|\\bLinux\\b|\\bCrOS\\b|"
                "FreeBSD|OpenBSD|NetBSD|SunOS|\\bHaiku\\b|\\bOS/2\\b|AmigaOS|\\bBeOS\\b"},
};
#define NDEVICE_RULES (sizeof device_rules / sizeof device_rules[0])

static const char *const device_names[LGN_UA_NDEVICES] = {"desktop", "mobile",   "tablet", "tv",
                                                          "console", "wearable", "bot",    "other"};

/* ---- cache ------------------------------------------------------------- */

#define CACHE_WAYS 4
#define CACHE_SETS 2048 /* 8192 entries of ~280 bytes (2.3 MB), plus their keys */

struct centry {
    uint64_t hash;
    uint64_t stamp; /* last use, for LRU within the set; 0 = empty */
    size_t len;
    char *key; /* owned copy of the user agent, wiped before reuse and free */
    struct lgn_ua_info info;
};

/* ---- literal prefilter ------------------------------------------------- */

struct literal {
    char *s; /* owned, lower-case */
    uint32_t len;
    uint32_t id; /* raw id while loading; canonical after lits_finish */
};

struct lits {
    struct literal *v; /* canonical literals after lits_finish, indexed by id */
    size_t n, cap;
    uint32_t *bstart; /* 65537 entries: literals bstart[b]..bstart[b+1]-1 start with bytes b */
    uint64_t *seen;   /* one bit per literal: present in the current user agent */
    size_t words;
};

struct lgn_ua {
    struct ruleset sets[NSETS];
    struct lits lits;
    pcre2_match_data *md;
    pcre2_match_context *mctx;
    struct centry *cache; /* CACHE_SETS * CACHE_WAYS */
    uint64_t clock, hits, misses;
    size_t skipped;
    char *warning;
    struct lgn_botlist *bots;   /* NULL: no crawler-user-agents list */
    struct lgn_reportable *rep; /* the detectors for what reports copy (NULL: none) */
    uint32_t maxcap;            /* most capture groups of a rule */
    bool shared;                /* rules and literals are another handle's (lgn_ua_share) */
};

/* ---- small helpers ----------------------------------------------------- */

/* Overwrites n bytes in a way the compiler may not drop (a copy of a raw user
 * agent is wiped before its memory is reused or freed). */
static void wipe(void *p, size_t n)
{
    static void *(*const volatile set)(void *, int, size_t) = memset;
    if (p != NULL)
        set(p, 0, n);
}

/* Copies src[0..n) into dst (cap bytes with the NUL), cut on a UTF-8 boundary. */
static void put(char *dst, size_t cap, const char *src, size_t n)
{
    if (n >= cap) {
        n = cap - 1;
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static void put_str(char *dst, size_t cap, const char *src)
{
    put(dst, cap, src, strlen(src));
}

static unsigned char lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* ---- regex analysis: literals every match must contain ----------------- */

#define MAXALT 256 /* a larger set of alternatives is not worth checking */

/* A set of literals (offsets into the analysis arena); n < 0: none known. */
struct lset {
    int n;
    uint32_t off[MAXALT];
    uint32_t len[MAXALT];
};

struct px {
    const char *p; /* the next pattern byte */
    char *arena;   /* literal bytes, lower-cased; strlen(pattern) + 1 bytes */
    size_t an;
    bool bad; /* a construct we do not analyse: no prefilter */
};

static void lset_copy(struct lset *dst, const struct lset *src)
{
    dst->n = src->n;
    for (int i = 0; i < src->n; i++) {
        dst->off[i] = src->off[i];
        dst->len[i] = src->len[i];
    }
}

static uint32_t lset_minlen(const struct lset *s)
{
    uint32_t m = UINT32_MAX;
    for (int i = 0; i < s->n; i++)
        if (s->len[i] < m)
            m = s->len[i];
    return m;
}

/* Whether a is a better prefilter than b: longer shortest literal (up to 6
 * bytes), then fewer alternatives. */
static bool lset_better(const struct lset *a, const struct lset *b)
{
    if (a->n <= 0)
        return false;
    if (b->n <= 0)
        return true;
    uint32_t ma = lset_minlen(a), mb = lset_minlen(b);
    uint32_t ca = ma < 6 ? ma : 6, cb = mb < 6 ? mb : 6;
    if (ca != cb)
        return ca > cb;
    if (a->n != b->n)
        return a->n < b->n;
    return ma > mb;
}

/* Ends the current run of literal bytes, keeping it if it beats *best. */
static void flush_run(struct lset *best, size_t off, size_t *len)
{
    if (*len == 0)
        return;
    struct lset c;
    c.n = 1;
    c.off[0] = (uint32_t)off;
    c.len[0] = (uint32_t)*len;
    if (lset_better(&c, best))
        lset_copy(best, &c);
    *len = 0;
}

/* A quantifier after an atom, if any: sets *min (1 without one). */
static bool parse_quant(struct px *x, unsigned *min)
{
    const char *p = x->p;
    *min = 1;
    if (*p == '?' || *p == '*') {
        *min = 0;
        p++;
    } else if (*p == '+') {
        p++;
    } else if (*p == '{') {
        const char *q = p + 1;
        unsigned n = 0;
        if (!is_digit(*q)) {
            x->bad = true; /* "{,n}" or a literal brace: not analysed */
            return false;
        }
        while (is_digit(*q) && n < 100000)
            n = n * 10 + (unsigned)(*q++ - '0');
        if (*q == ',')
            for (q++; is_digit(*q); q++)
                ;
        if (*q != '}') {
            x->bad = true;
            return false;
        }
        *min = n;
        p = q + 1;
    } else {
        return false;
    }
    if (*p == '?' || *p == '+') /* lazy or possessive */
        p++;
    x->p = p;
    return true;
}

/* A character class at '['. Returns its byte when it stands for one letter
 * up to case ("[Bb]", "[x]"), else -1. */
static int parse_class(struct px *x)
{
    const char *p = x->p + 1;
    bool neg = false, complex = false;
    int items[2], nitems = 0;
    if (*p == '^') {
        neg = true;
        p++;
    }
    for (bool first = true; *p != '\0' && (*p != ']' || first); first = false) {
        int c;
        if (p[0] == '[' && p[1] == ':') {
            const char *e = strstr(p + 2, ":]");
            if (e == NULL)
                break;
            p = e + 2;
            complex = true;
            continue;
        }
        if (p[0] == '\\') {
            if (p[1] == '\0')
                break;
            c = (unsigned char)p[1];
            if (is_alpha((char)c) || is_digit((char)c))
                complex = true;
            p += 2;
        } else {
            c = (unsigned char)*p++;
        }
        if (p[0] == '-' && p[1] != ']' && p[1] != '\0') { /* a range */
            complex = true;
            p += p[1] == '\\' && p[2] != '\0' ? 3 : 2;
            continue;
        }
        if (nitems < 2)
            items[nitems] = c;
        nitems++;
    }
    if (*p != ']') {
        x->bad = true;
        return -1;
    }
    x->p = p + 1;
    if (neg || complex)
        return -1;
    if (nitems == 1)
        return lower((unsigned char)items[0]);
    if (nitems == 2 && is_alpha((char)items[0]) &&
        lower((unsigned char)items[0]) == lower((unsigned char)items[1]))
        return lower((unsigned char)items[0]);
    return -1;
}

static void parse_alt(struct px *x, struct lset *out);

/* A group at '('. Returns false for what cannot be quantified or required
 * ("(?i)", comments); *g is the group's set (none for lookarounds). */
static bool parse_group(struct px *x, struct lset *g)
{
    bool look = false;
    g->n = -1;
    x->p++;
    if (x->p[0] == '*') { /* (*VERB) */
        x->bad = true;
        return false;
    }
    if (x->p[0] == '?') {
        const char *q = x->p + 1;
        if (*q == ':' || *q == '|' || *q == '>') {
            x->p = q + 1;
        } else if (*q == '=' || *q == '!') {
            look = true;
            x->p = q + 1;
        } else if (*q == '<' && (q[1] == '=' || q[1] == '!')) {
            look = true;
            x->p = q + 2;
        } else if (*q == '<' || *q == '\'' || (*q == 'P' && q[1] == '<')) {
            char close = *q == '\'' ? '\'' : '>';
            const char *e = strchr(q + 1 + (*q == 'P'), close);
            if (e == NULL) {
                x->bad = true;
                return false;
            }
            x->p = e + 1;
        } else if (*q == '#') {
            const char *e = strchr(q, ')');
            if (e == NULL) {
                x->bad = true;
                return false;
            }
            x->p = e + 1;
            return false;
        } else {
            /* option letters: these do not change how we read the pattern */
            while (*q == 'i' || *q == 'm' || *q == 's' || *q == 'U' || *q == 'J' || *q == '-')
                q++;
            if (*q == ')') {
                x->p = q + 1;
                return false;
            }
            if (*q != ':') {
                x->bad = true; /* e.g. (?x): extended syntax */
                return false;
            }
            x->p = q + 1;
        }
    }
    parse_alt(x, g);
    if (x->bad || *x->p != ')') {
        x->bad = true;
        return false;
    }
    x->p++;
    if (look)
        g->n = -1;
    return true;
}

/* One branch: the best of its literal runs and required groups. */
static void parse_seq(struct px *x, struct lset *best)
{
    size_t run_off = x->an, run_len = 0;
    struct lset g;
    best->n = -1;
    while (!x->bad && *x->p != '\0' && *x->p != '|' && *x->p != ')') {
        int lit = -1;
        bool group = false;
        char c = *x->p;
        if (c == '(') {
            flush_run(best, run_off, &run_len);
            group = parse_group(x, &g);
            if (!group)
                continue;
        } else if (c == '[') {
            lit = parse_class(x);
        } else if (c == '\\') {
            char e = x->p[1];
            if (e == '\0') {
                x->bad = true;
                break;
            }
            x->p += 2;
            if (e == 'b' || e == 'B' || e == 'A' || e == 'z' || e == 'Z' || e == 'G') {
                flush_run(best, run_off, &run_len); /* zero-width */
                continue;
            }
            if (strchr("dDwWsShHvVNR", e) != NULL)
                lit = -1;
            else if (!is_alpha(e) && !is_digit(e) && (unsigned char)e < 0x80)
                lit = (unsigned char)e;
            else {
                x->bad = true; /* back-references, \x, \p, \Q ...: not analysed */
                break;
            }
        } else if (c == '^' || c == '$') {
            x->p++;
            flush_run(best, run_off, &run_len);
            continue;
        } else if (c == '?' || c == '*' || c == '+' || c == '{') {
            x->bad = true;
            break;
        } else {
            x->p++;
            lit = c == '.' ? -1 : lower((unsigned char)c);
        }

        unsigned min;
        bool quantified = parse_quant(x, &min);
        if (x->bad)
            break;
        if (lit >= 0 && min > 0) {
            if (run_len == 0)
                run_off = x->an;
            x->arena[x->an++] = (char)lit;
            run_len++;
            if (quantified) /* "ab+c" holds "ab", not "abc" */
                flush_run(best, run_off, &run_len);
        } else {
            flush_run(best, run_off, &run_len);
            if (group && min > 0 && lset_better(&g, best))
                lset_copy(best, &g);
        }
    }
    flush_run(best, run_off, &run_len);
}

/* Alternatives: the union of the branches' sets, none if a branch has none. */
static void parse_alt(struct px *x, struct lset *out)
{
    struct lset br;
    out->n = 0;
    for (;;) {
        parse_seq(x, &br);
        if (x->bad) {
            out->n = -1;
            return;
        }
        if (br.n <= 0 || out->n < 0 || out->n + br.n > MAXALT) {
            out->n = -1;
        } else {
            for (int i = 0; i < br.n; i++) {
                out->off[out->n + i] = br.off[i];
                out->len[out->n + i] = br.len[i];
            }
            out->n += br.n;
        }
        if (*x->p != '|')
            return;
        x->p++;
    }
}

/* The literals (lower-cased, at least 2 bytes) one of which every match of
 * pat contains; out->n <= 0 when none could be proved. arena: strlen(pat)+1. */
static void analyse(const char *pat, char *arena, struct lset *out)
{
    struct px x = {pat, arena, 0, false};
    parse_alt(&x, out);
    if (x.bad || *x.p != '\0' || (out->n > 0 && lset_minlen(out) < 2))
        out->n = -1;
}

/* Records a rule's prefilter as raw literal ids (made canonical later). */
static int add_literals(struct lgn_ua *u, struct rule *r, const char *pat)
{
    size_t plen = strlen(pat);
    char *arena = malloc(plen + 1);
    struct lset *s = malloc(sizeof *s);
    int rc = -1;
    if (arena == NULL || s == NULL)
        goto out;
    analyse(pat, arena, s);
    if (s->n <= 0) {
        rc = 0;
        goto out;
    }
    r->lits = malloc((size_t)s->n * sizeof *r->lits);
    if (r->lits == NULL)
        goto out;
    for (int i = 0; i < s->n; i++) {
        struct lits *L = &u->lits;
        if (L->n == L->cap) {
            size_t cap = L->cap ? 2 * L->cap : 1024;
            struct literal *v = realloc(L->v, cap * sizeof *v);
            if (v == NULL)
                goto out;
            L->v = v;
            L->cap = cap;
        }
        char *copy = lgn_strndup(arena + s->off[i], s->len[i]);
        if (copy == NULL)
            goto out;
        L->v[L->n] = (struct literal){copy, s->len[i], (uint32_t)L->n};
        r->lits[r->nlits++] = (uint32_t)L->n++;
    }
    rc = 0;
out:
    free(arena);
    free(s);
    return rc;
}

static int literal_cmp(const void *a, const void *b)
{
    const struct literal *x = a, *y = b;
    uint32_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->s, y->s, n);
    if (c != 0)
        return c;
    return x->len < y->len ? -1 : x->len > y->len;
}

/* Dedupes the literals, renumbers the rules' ids and builds the index. */
static int lits_finish(struct lgn_ua *u)
{
    struct lits *L = &u->lits;
    uint32_t *canon = malloc((L->n ? L->n : 1) * sizeof *canon);
    L->bstart = calloc(65537, sizeof *L->bstart);
    if (canon == NULL || L->bstart == NULL) {
        free(canon);
        return -1;
    }
    qsort(L->v, L->n, sizeof *L->v, literal_cmp);
    size_t m = 0;
    for (size_t i = 0; i < L->n; i++) {
        if (m > 0 && literal_cmp(&L->v[m - 1], &L->v[i]) == 0) {
            canon[L->v[i].id] = (uint32_t)(m - 1);
            free(L->v[i].s);
            continue;
        }
        canon[L->v[i].id] = (uint32_t)m;
        L->v[m++] = L->v[i];
    }
    L->n = m;
    for (int k = 0; k < NSETS; k++)
        for (size_t i = 0; i < u->sets[k].n; i++) {
            struct rule *r = &u->sets[k].v[i];
            for (uint32_t j = 0; j < r->nlits; j++)
                r->lits[j] = canon[r->lits[j]];
        }
    free(canon);

    L->words = (m + 63) / 64; /* L->seen: each handle's own (own_state) */
    /* Sorted literals with the same first two bytes are neighbours: bucket b
     * is the id range bstart[b] .. bstart[b + 1] - 1. */
    for (size_t i = 0; i < m; i++) {
        unsigned b = (unsigned)(unsigned char)L->v[i].s[0] << 8 | (unsigned char)L->v[i].s[1];
        L->bstart[b + 1]++;
    }
    for (size_t b = 0; b < 65536; b++)
        L->bstart[b + 1] += L->bstart[b];
    return 0;
}

/* Marks the literals present in s (case-folded). */
static void lits_scan(struct lits *L, const char *s, size_t n)
{
    unsigned char low[LGN_UA_MAX_LEN];
    memset(L->seen, 0, L->words * sizeof *L->seen);
    for (size_t i = 0; i < n; i++)
        low[i] = lower((unsigned char)s[i]);
    for (size_t i = 0; i + 1 < n; i++) {
        unsigned b = (unsigned)low[i] << 8 | low[i + 1];
        for (uint32_t k = L->bstart[b]; k < L->bstart[b + 1]; k++) {
            const struct literal *lt = &L->v[k];
            if (lt->len <= n - i && memcmp(low + i, lt->s, lt->len) == 0)
                L->seen[k / 64] |= 1ull << (k % 64);
        }
    }
}

static bool may_match(const struct lits *L, const struct rule *r)
{
    if (r->lits == NULL)
        return true;
    for (uint32_t j = 0; j < r->nlits; j++)
        if (L->seen[r->lits[j] / 64] & (1ull << (r->lits[j] % 64)))
            return true;
    return false;
}
/* ---- loading ----------------------------------------------------------- */

static pcre2_code *compile(const char *pat, uint32_t opts, char *emsg, size_t emsg_len)
{
    int ecode;
    PCRE2_SIZE eoff;
    pcre2_code *re =
        pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, opts, &ecode, &eoff, NULL);
    if (re == NULL) {
        PCRE2_UCHAR buf[160];
        pcre2_get_error_message(ecode, buf, sizeof buf);
        snprintf(emsg, emsg_len, "%s at offset %zu", (const char *)buf, (size_t)eoff);
        return NULL;
    }
    return re; /* JIT-compiled when first matched (lazyjit.h) */
}

/* Appends a rule to set k. Returns 0, 1 when the regex does not compile
 * (emsg says why), or -1 when out of memory. */
static int add_rule(struct lgn_ua *u, enum set k, const char *pat, uint32_t opts,
                    const char *const repl[NREPL], const char *name, char *emsg, size_t emsg_len)
{
    pcre2_code *re = compile(pat, opts, emsg, emsg_len);
    if (re == NULL)
        return 1;
    struct ruleset *rs = &u->sets[k];
    if (rs->n == rs->cap) {
        size_t cap = rs->cap ? 2 * rs->cap : 64;
        struct rule *v = realloc(rs->v, cap * sizeof *v);
        if (v == NULL) {
            pcre2_code_free(re);
            return -1;
        }
        rs->v = v;
        rs->cap = cap;
    }
    struct rule *r = &rs->v[rs->n++];
    memset(r, 0, sizeof *r);
    lgn_lazyjit_init(&r->re, re);
    r->name = name;
    for (size_t i = 0; repl != NULL && i < NREPL; i++)
        if (repl[i] != NULL && (r->repl[i] = lgn_strdup(repl[i])) == NULL)
            return -1;
    return add_literals(u, r, pat);
}

static const char *scalar(yaml_node_t *n)
{
    if (n == NULL || n->type != YAML_SCALAR_NODE)
        return NULL;
    return (const char *)n->data.scalar.value;
}

static void note_skip(struct lgn_ua *u, const char *path, size_t line, const char *why)
{
    u->skipped++;
    if (u->warning != NULL)
        return; /* the first one is named; the count says the rest */
    char buf[400];
    snprintf(buf, sizeof buf, "%s:%zu: regex does not compile (%s); rule skipped", path, line, why);
    u->warning = lgn_strdup(buf);
}

static int yaml_rule(struct lgn_ua *u, enum set k, yaml_document_t *doc, yaml_node_t *item,
                     const char *path, struct lgn_err *err)
{
    size_t line = item->start_mark.line + 1;
    if (item->type != YAML_MAPPING_NODE)
        return lgn_err_set(err, LGN_EXIT_INPUT, "%s:%zu: a rule must be a mapping", path, line);
    const char *regex = NULL, *flag = NULL;
    const char *repl[NREPL] = {NULL};
    for (yaml_node_pair_t *p = item->data.mapping.pairs.start; p < item->data.mapping.pairs.top;
         p++) {
        const char *key = scalar(yaml_document_get_node(doc, p->key));
        const char *val = scalar(yaml_document_get_node(doc, p->value));
        if (key == NULL || val == NULL)
            return lgn_err_set(err, LGN_EXIT_INPUT, "%s:%zu: rule keys and values must be scalars",
                               path, line);
        int slot = lgn_name_index(repl_keys[k], NREPL, key);
        if (strcmp(key, "regex") == 0)
            regex = val;
        else if (strcmp(key, "regex_flag") == 0)
            flag = val;
        else if (slot >= 0)
            repl[slot] = val;
        /* other keys are ignored, as by the reference parsers */
    }
    if (regex == NULL)
        return lgn_err_set(err, LGN_EXIT_INPUT, "%s:%zu: rule without a regex", path, line);
    char emsg[200];
    uint32_t opts = flag != NULL && strcmp(flag, "i") == 0 ? PCRE2_CASELESS : 0;
    int rc = add_rule(u, k, regex, opts, repl, NULL, emsg, sizeof emsg);
    if (rc < 0)
        return lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory loading %s", path);
    if (rc > 0)
        note_skip(u, path, line, emsg);
    return 0;
}

static int load_rules(struct lgn_ua *u, const char *path, struct lgn_err *err)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return lgn_err_set(err, LGN_EXIT_INPUT, "%s: cannot open user-agent rules: %s", path,
                           strerror(errno));
    yaml_parser_t parser;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&parser)) {
        fclose(f);
        return lgn_err_set(err, LGN_EXIT_INTERNAL, "%s: cannot start the YAML parser", path);
    }
    yaml_parser_set_input_file(&parser, f);
    int rc = 0;
    if (!yaml_parser_load(&parser, &doc)) {
        rc = lgn_err_set(err, LGN_EXIT_INPUT, "%s:%zu: %s", path,
                         (size_t)parser.problem_mark.line + 1,
                         parser.problem != NULL ? parser.problem : "malformed YAML");
        yaml_parser_delete(&parser);
        fclose(f);
        return rc;
    }
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (root == NULL || root->type != YAML_MAPPING_NODE) {
        rc = lgn_err_set(err, LGN_EXIT_INPUT, "%s: not a ua-parser regexes file", path);
        goto out;
    }
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
         rc == 0 && p < root->data.mapping.pairs.top; p++) {
        const char *key = scalar(yaml_document_get_node(&doc, p->key));
        yaml_node_t *val = yaml_document_get_node(&doc, p->value);
        int k = key != NULL ? lgn_name_index(section_names, NYAML, key) : -1;
        if (k < 0)
            continue; /* other sections are ignored */
        if (val == NULL || val->type != YAML_SEQUENCE_NODE) {
            rc = lgn_err_set(err, LGN_EXIT_INPUT, "%s:%zu: %s must be a list", path,
                             (size_t)(val != NULL ? val->start_mark.line + 1 : 0), key);
            break;
        }
        for (yaml_node_item_t *it = val->data.sequence.items.start;
             rc == 0 && it < val->data.sequence.items.top; it++)
            rc = yaml_rule(u, (enum set)k, &doc, yaml_document_get_node(&doc, *it), path, err);
    }
    if (rc == 0 && (u->sets[SET_UA].n == 0 || u->sets[SET_OS].n == 0))
        rc =
            lgn_err_set(err, LGN_EXIT_INPUT, "%s: no user_agent_parsers or os_parsers rules", path);
    if (rc == 0 && u->skipped > 1) {
        char buf[512];
        snprintf(buf, sizeof buf, "%s (and %zu more rules)", u->warning, u->skipped - 1);
        free(u->warning);
        u->warning = lgn_strdup(buf);
    }
out:
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    fclose(f);
    return rc;
}

static int add_own(struct lgn_ua *u, enum set k, const struct own_rule *rules, size_t n,
                   struct lgn_err *err)
{
    char emsg[200];
    for (size_t i = 0; i < n; i++) {
        int rc = add_rule(u, k, rules[i].pattern, 0, NULL, rules[i].name, emsg, sizeof emsg);
        if (rc < 0)
            return lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
        if (rc > 0)
            return lgn_err_set(err, LGN_EXIT_INTERNAL, "built-in rule /%s/: %s", rules[i].pattern,
                               emsg);
    }
    return 0;
}

/* What each handle has of its own: match data, the literal bits of the
 * user agent being classified, and the cache. */
static int own_state(struct lgn_ua *u)
{
    u->md = pcre2_match_data_create(u->maxcap + 1, NULL);
    u->mctx = pcre2_match_context_create(NULL);
    u->lits.seen = calloc(u->lits.words ? u->lits.words : 1, sizeof *u->lits.seen);
    u->cache = calloc((size_t)CACHE_SETS * CACHE_WAYS, sizeof *u->cache);
    if (u->md == NULL || u->mctx == NULL || u->lits.seen == NULL || u->cache == NULL)
        return -1;
    /* uap-core bounds its repetitions; this bounds any backtracking left. */
    pcre2_set_match_limit(u->mctx, 200000);
    return 0;
}

struct lgn_ua *lgn_ua_new(const char *regexes_path, struct lgn_err *err)
{
    const char *path = regexes_path != NULL ? regexes_path : LGN_UA_DEFAULT_REGEXES;
    struct lgn_ua *u = calloc(1, sizeof *u);
    if (u == NULL) {
        lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
        return NULL;
    }
    if (load_rules(u, path, err) != 0 || add_own(u, SET_BOT, bot_rules, NBOT_RULES, err) != 0 ||
        add_own(u, SET_TYPE, device_rules, NDEVICE_RULES, err) != 0)
        goto fail;

    uint32_t maxcap = 9;
    for (int k = 0; k < NSETS; k++)
        for (size_t i = 0; i < u->sets[k].n; i++) {
            uint32_t c = 0;
            pcre2_pattern_info(u->sets[k].v[i].re.re, PCRE2_INFO_CAPTURECOUNT, &c);
            if (c > maxcap)
                maxcap = c;
        }
    u->maxcap = maxcap;
    if (lits_finish(u) != 0 || own_state(u) != 0) {
        lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
        goto fail;
    }
    return u;
fail:
    lgn_ua_free(u);
    return NULL;
}

struct lgn_ua *lgn_ua_share(const struct lgn_ua *src, struct lgn_err *err)
{
    struct lgn_ua *u = calloc(1, sizeof *u);
    if (u == NULL) {
        lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
        return NULL;
    }
    memcpy(u->sets, src->sets, sizeof u->sets);
    u->lits = src->lits;
    u->lits.seen = NULL;
    u->maxcap = src->maxcap;
    u->skipped = src->skipped;
    u->shared = true;
    if (own_state(u) != 0 ||
        (src->bots != NULL && (u->bots = lgn_botlist_share(src->bots, err)) == NULL) ||
        (src->rep != NULL && (u->rep = lgn_reportable_share(src->rep, err)) == NULL)) {
        lgn_ua_free(u);
        lgn_err_set(err, LGN_EXIT_INTERNAL, "out of memory");
        return NULL;
    }
    return u;
}

void lgn_ua_free(struct lgn_ua *u)
{
    if (u == NULL)
        return;
    for (int k = 0; k < NSETS && !u->shared; k++) {
        for (size_t i = 0; i < u->sets[k].n; i++) {
            struct rule *r = &u->sets[k].v[i];
            lgn_lazyjit_free(&r->re);
            for (size_t j = 0; j < NREPL; j++)
                free(r->repl[j]);
            free(r->lits);
        }
        free(u->sets[k].v);
    }
    for (size_t i = 0; i < u->lits.n && !u->shared; i++)
        free(u->lits.v[i].s);
    if (!u->shared) {
        free(u->lits.v);
        free(u->lits.bstart);
    }
    free(u->lits.seen);
    pcre2_match_data_free(u->md);
    pcre2_match_context_free(u->mctx);
    if (u->cache != NULL)
        for (size_t i = 0; i < (size_t)CACHE_SETS * CACHE_WAYS; i++) {
            wipe(u->cache[i].key, u->cache[i].len);
            free(u->cache[i].key);
        }
    free(u->cache);
    free(u->warning);
    lgn_botlist_free(u->bots);
    lgn_reportable_free(u->rep);
    free(u);
}

/* Classifications cached before are stale (a new bot list, new detectors). */
static void cache_clear(struct lgn_ua *u)
{
    for (size_t i = 0; i < (size_t)CACHE_SETS * CACHE_WAYS; i++) {
        wipe(u->cache[i].key, u->cache[i].len);
        free(u->cache[i].key);
        memset(&u->cache[i], 0, sizeof u->cache[i]);
    }
}

int lgn_ua_use_filters(struct lgn_ua *u, const struct lgn_config *cfg, struct lgn_err *err)
{
    struct lgn_reportable *rep = lgn_reportable_new(cfg, err);
    if (rep == NULL)
        return -1;
    lgn_reportable_free(u->rep);
    u->rep = rep;
    cache_clear(u);
    return 0;
}

int lgn_ua_use_bot_list(struct lgn_ua *u, const char *path, struct lgn_err *err)
{
    char buf[4096];
    if (path == NULL && (path = lgn_botlist_default_path(buf, sizeof buf)) == NULL)
        return 0;
    struct lgn_botlist *b = lgn_botlist_load(path, err);
    if (b == NULL)
        return -1;
    lgn_botlist_free(u->bots);
    u->bots = b;
    cache_clear(u);
    return 0;
}

/* ---- matching ---------------------------------------------------------- */

/* The result of one successful match, for substitutions. */
struct match {
    const char *s;
    const PCRE2_SIZE *ov;
    int pairs; /* groups 0 .. pairs-1 may be set */
};

/* Runs one rule (after its prefilter; lits_scan must have seen s). */
static bool run(struct lgn_ua *u, struct rule *r, const char *s, size_t n, struct match *m)
{
    if (!may_match(&u->lits, r))
        return false;
    int rc = pcre2_match(lgn_lazyjit_code(&r->re), (PCRE2_SPTR)s, n, 0, 0, u->md, u->mctx);
    if (rc < 0)
        return false; /* no match, or the match limit: treated alike */
    m->s = s;
    m->ov = pcre2_get_ovector_pointer(u->md);
    m->pairs = rc == 0 ? (int)pcre2_get_ovector_count(u->md) : rc;
    return true;
}

/* First matching rule of a set, or NULL. */
static const struct rule *first(struct lgn_ua *u, enum set k, const char *s, size_t n,
                                struct match *m)
{
    const struct ruleset *rs = &u->sets[k];
    for (size_t i = 0; i < rs->n; i++)
        if (run(u, &rs->v[i], s, n, m))
            return &rs->v[i];
    return NULL;
}

/* Group i as a slice; false when unset or empty (uap treats both as absent). */
static bool group(const struct match *m, int i, const char **p, size_t *n)
{
    if (i >= m->pairs || m->ov[2 * i] == PCRE2_UNSET)
        return false;
    *p = m->s + m->ov[2 * i];
    *n = m->ov[2 * i + 1] - m->ov[2 * i];
    return *n > 0;
}

/* Expands $1..$9 in tpl into out (NUL-terminated, cut to cap); returns the length. */
static size_t expand(const char *tpl, const struct match *m, char *out, size_t cap)
{
    size_t o = 0;
    for (const char *t = tpl; *t != '\0' && o + 1 < cap; t++) {
        const char *g;
        size_t gn;
        if (t[0] == '$' && t[1] >= '1' && t[1] <= '9') {
            if (group(m, t[1] - '0', &g, &gn)) {
                if (gn > cap - 1 - o)
                    gn = cap - 1 - o;
                memcpy(out + o, g, gn);
                o += gn;
            }
            t++;
        } else {
            out[o++] = *t;
        }
    }
    out[o] = '\0';
    return o;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* The reference replacer: expand, strip; "" means absent (returns false). */
static bool replace(const char *tpl, const struct match *m, char *dst, size_t cap)
{
    char buf[256];
    size_t n = expand(tpl, m, buf, sizeof buf);
    size_t a = 0;
    while (a < n && is_space(buf[a]))
        a++;
    while (n > a && is_space(buf[n - 1]))
        n--;
    put(dst, cap, buf + a, n - a);
    return n > a;
}

/* Whether a family made from tpl (NULL: "$1") holds bytes of the user agent,
 * not only the rule's own words ("Mobile Safari UI/WKWebView"). */
static bool copies(const char *tpl)
{
    return tpl == NULL || strchr(tpl, '$') != NULL;
}

/* *copied: the family holds bytes of the user agent. */
static void parse_browser(struct lgn_ua *u, const char *s, size_t n, struct lgn_ua_info *out,
                          bool *copied)
{
    struct match m;
    const struct rule *r = first(u, SET_UA, s, n, &m);
    const char *g;
    size_t gn;
    *copied = r != NULL && copies(r->repl[0]);
    if (r == NULL) {
        put_str(out->browser, sizeof out->browser, "Other");
        return;
    }
    /* As the reference: the family is "$1" by default and is not stripped;
     * the major version is v1_replacement (expanded), else group 2. */
    char buf[256];
    size_t fn = expand(r->repl[0] != NULL ? r->repl[0] : "$1", &m, buf, sizeof buf);
    put(out->browser, sizeof out->browser, buf, fn);
    if (r->repl[1] != NULL) {
        fn = expand(r->repl[1], &m, buf, sizeof buf);
        put(out->browser_major, sizeof out->browser_major, buf, fn);
    } else if (group(&m, 2, &g, &gn)) {
        put(out->browser_major, sizeof out->browser_major, g, gn);
    }
}

static void parse_os(struct lgn_ua *u, const char *s, size_t n, struct lgn_ua_info *out,
                     bool *copied)
{
    struct match m;
    const struct rule *r = first(u, SET_OS, s, n, &m);
    *copied = r != NULL && copies(r->repl[0]);
    if (r == NULL || !replace(r->repl[0] != NULL ? r->repl[0] : "$1", &m, out->os, sizeof out->os))
        put_str(out->os, sizeof out->os, "Other");
    if (r != NULL) {
        replace(r->repl[1] != NULL ? r->repl[1] : "$2", &m, out->os_major, sizeof out->os_major);
        replace(r->repl[2] != NULL ? r->repl[2] : "$3", &m, out->os_minor, sizeof out->os_minor);
    }
}

/* The uap device family ("Spider", "Generic Smartphone", "iPad", ...). */
static void parse_device(struct lgn_ua *u, const char *s, size_t n, char *fam, size_t cap)
{
    struct match m;
    const struct rule *r = first(u, SET_DEV, s, n, &m);
    if (r == NULL || !replace(r->repl[0] != NULL ? r->repl[0] : "$1", &m, fam, cap))
        put_str(fam, cap, "Other");
}

/* ---- bots ---------------------------------------------------------------- */

static bool eq(const char *a, const char *b)
{
    return strcmp(a, b) == 0;
}

static bool ci_has(const char *p, size_t n, const char *word)
{
    size_t w = strlen(word);
    for (size_t i = 0; i + w <= n; i++) {
        size_t j = 0;
        while (j < w && lower((unsigned char)p[i + j]) == (unsigned char)word[j])
            j++;
        if (j == w)
            return true;
    }
    return false;
}

/* Whether p[0..n) holds one of words[0..count) (lowercase), in any case. */
static bool ci_has_any(const char *p, size_t n, const char *const *words, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (ci_has(p, n, words[i]))
            return true;
    return false;
}

/* An e-mail address: name@host.tld (bots give a contact address). */
static bool has_email(const char *s, size_t n)
{
    for (const char *at = memchr(s, '@', n); at != NULL;
         at = memchr(at + 1, '@', (size_t)(s + n - at - 1))) {
        bool name = at > s && (is_alpha(at[-1]) || is_digit(at[-1]));
        const char *h = at + 1, *e = s + n;
        size_t dots = 0, len = 0;
        while (h < e && (is_alpha(*h) || is_digit(*h) || *h == '.' || *h == '-')) {
            dots += *h == '.';
            h++, len++;
        }
        if (name && dots > 0 && len >= 4)
            return true;
    }
    return false;
}

/* Generic signals of a bot the lists do not name (docs/devices.md): a URL or
 * an e-mail address, a word that only programs use, or no browser engine,
 * platform or app token that uap-core knows. */
static bool bot_signal(const char *s, size_t n, const struct lgn_ua_info *info, const char *devfam)
{
    if (n == 0 || (n == 1 && s[0] == '-'))
        return false;
    static const char *const words[] = {
        "http://",  "https://", "www.",        "crawl",      "spider",    "scrape",    "fetch",
        "monitor",  "check",    "preview",     "scanner",    "headless",  "python",    "libwww",
        "urllib",   "golang",   "http-client", "httpclient", "validator", "probe",     "uptime",
        "archiver", "indexer",  "-user/",      "sentry/",    "zapier",    "newspaper/"};
    static const char *const browser_words[] = {"mozilla", "opera"};
    if (ci_has_any(s, n, words, sizeof words / sizeof words[0]) || has_email(s, n))
        return true;
    /* Nothing a browser, an app or a device would show. */
    return !ci_has_any(s, n, browser_words, 2) && eq(info->browser, "Other") &&
           eq(info->os, "Other") && eq(devfam, "Other");
}

/* ---- classification ---------------------------------------------------- */

static enum lgn_ua_device device_by_name(const char *name)
{
    int d = lgn_name_index(device_names, LGN_UA_NDEVICES, name);
    return d >= 0 ? (enum lgn_ua_device)d : LGN_UA_OTHER;
}

/* OS families (as uap-core names them) that run on desktops and laptops. */
static bool desktop_os(const char *os)
{
    static const char *const names[] = {
        "Windows",    "Mac OS X",   "Mac OS",    "Linux",     "Ubuntu",   "Debian", "Fedora",
        "Red Hat",    "SUSE",       "Gentoo",    "Slackware", "Mandriva", "Mint",   "Kubuntu",
        "Arch Linux", "CentOS",     "Chrome OS", "FreeBSD",   "OpenBSD",  "NetBSD", "BSD",
        "Solaris",    "SerenityOS", "Haiku",     "BeOS",      "OS/2",     "AmigaOS"};
    return lgn_name_index(names, sizeof names / sizeof names[0], os) >= 0;
}

/* copied[0], copied[1]: the browser, the OS family holds bytes of s. */
static void classify(struct lgn_ua *u, const char *s, size_t n, struct lgn_ua_info *out,
                     bool copied[2])
{
    struct match m;
    const struct rule *r;
    char devfam[64];

    memset(out, 0, sizeof *out);
    lits_scan(&u->lits, s, n);
    parse_browser(u, s, n, out, &copied[0]);
    parse_os(u, s, n, out, &copied[1]);
    parse_device(u, s, n, devfam, sizeof devfam);

    /* Bots: our named list first, then the crawler-user-agents list, then
     * our generic rules, uap-core's "Spider" verdicts and the generic
     * signals. A family name comes only from a list: otherwise "other bot". */
    const char *listed = NULL;
    if ((r = first(u, SET_BOT, s, n, &m)) != NULL && r->name != NULL) {
        out->is_bot = true;
        put_str(out->bot, sizeof out->bot, r->name);
    } else if (u->bots != NULL && (listed = lgn_botlist_match(u->bots, s, n)) != NULL) {
        out->is_bot = true;
        put_str(out->bot, sizeof out->bot, listed);
    } else if (r != NULL || eq(out->browser, "Spider") || eq(devfam, "Spider") ||
               bot_signal(s, n, out, devfam)) {
        out->is_bot = true;
        put_str(out->bot, sizeof out->bot, LGN_UA_OTHER_BOT);
    }
    if (out->is_bot) {
        out->device = LGN_UA_BOT;
        return;
    }

    /* Device type: our rules on the string, then uap-core's device and OS. */
    if ((r = first(u, SET_TYPE, s, n, &m)) != NULL)
        out->device = device_by_name(r->name);
    else if (eq(devfam, "Generic Tablet"))
        out->device = LGN_UA_TABLET;
    else if ((!eq(devfam, "Other") && !eq(devfam, "Mac")) || eq(out->os, "iOS") ||
             eq(out->os, "Android"))
        out->device = LGN_UA_MOBILE; /* uap-core names a handset (brand, model) */
    else if (desktop_os(out->os))
        out->device = LGN_UA_DESKTOP;
    else
        out->device = LGN_UA_OTHER;
}

/* A version, or a family made of bytes of the user agent: a plain name
 * that the detectors leave alone (reportable.h). */
static bool copied_ok(struct lgn_ua *u, const char *s)
{
    return lgn_reportable_copied(u->rep, s, strlen(s));
}

/* A name of the rules or of a bot list: public, but held to the detectors. */
static bool fixed_ok(struct lgn_ua *u, const char *s)
{
    return lgn_reportable_text(u->rep, s, strlen(s));
}

/* What the statistics copy from the user agent (families, versions) is
 * kept only when it is a plain name (letters, digits, blanks, '-', '_',
 * '.') in which nothing the anonymiser scrubs, nor an e-mail address, fits
 * (reportable.h): a planted phone number as the version of "Android
 * 09121234567", a JWT or "sid=..." as an app's name is not reported (nor in
 * a hit record: hits.c holds the records it reads to the same detectors).
 * A family that is a rule's own words ("Mobile Safari UI/WKWebView") need
 * not have the plain shape. Decided after the bot and device verdicts,
 * which read the families as uap-core gives them. A family dropped is
 * "Other" (its version with it); a version dropped is "", the OS version
 * falls back to its major. */
static void keep_reportable(struct lgn_ua *u, struct lgn_ua_info *out, const bool copied[2])
{
    if (!(copied[0] ? copied_ok(u, out->browser) : fixed_ok(u, out->browser))) {
        snprintf(out->browser, sizeof out->browser, "Other");
        out->browser_major[0] = '\0';
    }
    if (!copied_ok(u, out->browser_major))
        out->browser_major[0] = '\0';
    if (!(copied[1] ? copied_ok(u, out->os) : fixed_ok(u, out->os))) {
        snprintf(out->os, sizeof out->os, "Other");
        out->os_major[0] = '\0';
    }
    if (!copied_ok(u, out->os_major))
        out->os_major[0] = '\0';
    if (out->os_major[0] == '\0' || !copied_ok(u, out->os_minor))
        out->os_minor[0] = '\0';
    if (!fixed_ok(u, out->bot)) /* list names are public, but held to the same rule */
        snprintf(out->bot, sizeof out->bot, "%s", LGN_UA_OTHER_BOT);
    /* "major.minor", "major" or "" (two parts could hold more digits than either) */
    if (out->os_minor[0] != '\0')
        snprintf(out->os_version, sizeof out->os_version, "%s.%s", out->os_major, out->os_minor);
    if (out->os_minor[0] == '\0' || !copied_ok(u, out->os_version))
        put_str(out->os_version, sizeof out->os_version, out->os_major);
}

int lgn_ua_classify(struct lgn_ua *u, const char *s, size_t n, struct lgn_ua_info *out)
{
    if (s == NULL && n != 0)
        return -1;
    if (s == NULL)
        s = "";
    if (n > LGN_UA_MAX_LEN)
        n = LGN_UA_MAX_LEN;

    uint64_t h = lgn_hash_bytes(s, n);
    struct centry *set = &u->cache[(h % CACHE_SETS) * CACHE_WAYS];
    struct centry *victim = &set[0];
    u->clock++;
    for (int w = 0; w < CACHE_WAYS; w++) {
        struct centry *e = &set[w];
        if (e->stamp != 0 && e->hash == h && e->len == n && memcmp(e->key, s, n) == 0) {
            e->stamp = u->clock;
            u->hits++;
            *out = e->info;
            return 0;
        }
        if (e->stamp < victim->stamp)
            victim = e;
    }

    u->misses++;
    bool copied[2];
    classify(u, s, n, out, copied);
    keep_reportable(u, out, copied);
    wipe(victim->key, victim->len);
    victim->stamp = 0; /* empty until refilled */
    char *key = realloc(victim->key, n ? n : 1);
    if (key == NULL)
        return 0; /* not remembered (the slot stays empty): only an optimisation */
    memcpy(key, s, n);
    victim->key = key;
    victim->hash = h;
    victim->len = n;
    victim->stamp = u->clock;
    victim->info = *out;
    return 0;
}

const char *lgn_ua_device_name(enum lgn_ua_device d)
{
    if ((int)d < 0 || d >= LGN_UA_NDEVICES)
        return "other";
    return device_names[d];
}

const char *lgn_ua_warning(const struct lgn_ua *u)
{
    return u != NULL ? u->warning : NULL;
}

void lgn_ua_cache_stats(const struct lgn_ua *u, uint64_t *hits, uint64_t *misses)
{
    if (hits != NULL)
        *hits = u->hits;
    if (misses != NULL)
        *misses = u->misses;
}
