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
    LGN_CHECK_IBAN,             /* ISO 13616: registry country, its length, mod 97 == 1 */
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
/* Two letters of a country that issues IBANs, two check digits, a BBAN
 * making up exactly that country's IBAN length, mod 97 == 1; any case;
 * blanks, dashes, dots and '+' between groups are skipped. */
bool lgn_check_iban(const char *p, size_t n);
/* The IBAN length of the country whose upper-case code is code[0..1], or 0
 * when that country issues none. */
size_t lgn_iban_length(const char *code);
bool lgn_check_ir_national_code(const char *p, size_t n);
bool lgn_check_ir_legal_id(const char *p, size_t n);
bool lgn_check_sa_national_id(const char *p, size_t n);
/* Digits with blanks, dashes, dots, one leading '+' (or "(+" for a country
 * code in parentheses) and non-nested pairs of parentheses ("+1 (415)
 * 555-2671", "+966 (0)50 123 4567", "(+1) 415-555-2671"). */
bool lgn_check_phone(const char *p, size_t n);

/* Runs validator c (LGN_CHECK_NONE accepts everything). */
bool lgn_check_run(enum lgn_check c, const char *p, size_t n);

/* The validator called `name` (as in a rule file), or LGN_CHECK_NONE when unknown. */
enum lgn_check lgn_check_find(const char *name);
/* Its name ("luhn", ...); "" for LGN_CHECK_NONE. */
const char *lgn_check_name(enum lgn_check c);

#endif
