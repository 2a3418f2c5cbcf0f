/* validate.h: checksum validators that rules name with `check` (luhn, iban,
 * national identity numbers). Adding one here is the only C a new kind of
 * number needs; everything else lives in filters/. */
#ifndef LGN_VALIDATE_H
#define LGN_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

enum lgn_check {
    LGN_CHECK_NONE,
    LGN_CHECK_LUHN,             /* payment cards: Luhn mod 10 */
    LGN_CHECK_IBAN,             /* ISO 13616: mod 97 == 1, 15 to 34 characters */
    LGN_CHECK_IR_NATIONAL_CODE, /* Iranian national code (code melli): 10 digits */
    LGN_CHECK_IR_LEGAL_ID,      /* Iranian legal-entity national ID: 11 digits */
    LGN_CHECK_SA_NATIONAL_ID,   /* Saudi national ID / iqama: 10 digits, 1 or 2, Luhn */
    LGN_CHECK_PHONE,            /* a written phone number: 7 to 15 digits, parentheses paired */
    LGN_CHECK_COUNT
};

/* Every validator takes the text a rule matched, with ASCII digits (Persian
 * and Arabic-Indic digits are folded before matching). Spaces, dashes, dots
 * and slashes are skipped as separators; any other character fails. */
bool lgn_check_luhn(const char *p, size_t n);
bool lgn_check_iban(const char *p, size_t n);
bool lgn_check_ir_national_code(const char *p, size_t n);
bool lgn_check_ir_legal_id(const char *p, size_t n);
bool lgn_check_sa_national_id(const char *p, size_t n);
/* Digits with blanks, dashes, dots, one leading '+' and non-nested pairs of
 * parentheses ("+1 (415) 555-2671", "+966 (0)50 123 4567"). */
bool lgn_check_phone(const char *p, size_t n);

/* Runs validator c (LGN_CHECK_NONE accepts everything). */
bool lgn_check_run(enum lgn_check c, const char *p, size_t n);

/* The validator called `name` (as in a rule file), or LGN_CHECK_NONE when unknown. */
enum lgn_check lgn_check_find(const char *name);
/* Its name ("luhn", ...); "" for LGN_CHECK_NONE. */
const char *lgn_check_name(enum lgn_check c);

#endif
