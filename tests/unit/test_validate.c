/* test_validate.c: unit tests for validate.c: each checksum, valid and invalid numbers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "validate.h"

#define OK(fn, s) assert_true(fn(s, strlen(s)))
#define BAD(fn, s) assert_false(fn(s, strlen(s)))

static void test_luhn(void **state)
{
    (void)state;
    OK(lgn_check_luhn, "4111111111111111");    /* Visa test number */
    OK(lgn_check_luhn, "5555555555554444");    /* Mastercard */
    OK(lgn_check_luhn, "378282246310005");     /* Amex, 15 digits */
    OK(lgn_check_luhn, "6037991234567893");    /* an Iranian (Shetab) prefix */
    OK(lgn_check_luhn, "4111 1111 1111 1111"); /* separators are skipped */
    OK(lgn_check_luhn, "4111-1111-1111-1111");
    BAD(lgn_check_luhn, "4111111111111112"); /* one digit off */
    BAD(lgn_check_luhn, "1234567812345678");
    BAD(lgn_check_luhn, "0000000000000000"); /* passes the sum, is a placeholder */
    BAD(lgn_check_luhn, "4111x111111111111");
    BAD(lgn_check_luhn, "");
    BAD(lgn_check_luhn, "0");
}

static void test_iban(void **state)
{
    (void)state;
    OK(lgn_check_iban, "IR062960000000100324200001");
    OK(lgn_check_iban, "SA0380000000608010167519");
    OK(lgn_check_iban, "DE89370400440532013000");
    OK(lgn_check_iban, "GB82WEST12345698765432"); /* letters in the account part */
    OK(lgn_check_iban, "GB82 WEST 1234 5698 7654 32");
    OK(lgn_check_iban, "gb82west12345698765432"); /* typed in lower case */
    OK(lgn_check_iban, "FR14.2004.1010.0505.0001.3M02.606");
    OK(lgn_check_iban, "NO93-8601-1117-947");
    OK(lgn_check_iban, "GB29+NWBK+6016+1331+9268+19"); /* a URL's blanks, in free text */
    BAD(lgn_check_iban, "DE89370400440532013001");
    BAD(lgn_check_iban, "IR062960000000100324200002");
    BAD(lgn_check_iban, "DE8937040044");                         /* too short */
    BAD(lgn_check_iban, "1289370400440532013000");               /* no country code */
    BAD(lgn_check_iban, "DEAB370400440532013000");               /* no check digits */
    BAD(lgn_check_iban, "DE89370400440532013000%");              /* stray character */
    BAD(lgn_check_iban, "DE8937040044053201300012345678901234"); /* over 34 */
    BAD(lgn_check_iban, "");
    BAD(lgn_check_iban, "DE");
}

/* Hex ids pass mod 97 one time in 97; a country code and its length decide. */
static void test_iban_not_hex_ids(void **state)
{
    (void)state;
    BAD(lgn_check_iban, "ef710409e3f232f30177f2c0ff5a1ecb"); /* nginx $request_id */
    BAD(lgn_check_iban, "cb38d68c8084b05ffd1b48e9d259e9eb");
    BAD(lgn_check_iban, "bc1390872b26aacec8a1c3ea"); /* an ObjectId */
    BAD(lgn_check_iban, "da453eb3748745e6e41c");
    BAD(lgn_check_iban, "DE6537040044053201300012"); /* DE, 24 not 22 */
    BAD(lgn_check_iban, "IR950600000000100324201");  /* IR, 23 not 26 */
    BAD(lgn_check_iban, "US88370400440532013000");   /* the US issues none */
}

/* The registry's example IBANs: first and last entries of the table, the
 * shortest (NO 15) and longest (RU 33), letters in the BBAN. */
static void test_iban_countries(void **state)
{
    (void)state;
    static const char *const examples[] = {
        "AD1200012030200359100100",
        "AE070331234567890123456",
        "BE68539007547034",
        "BR1800360305000010009795493C1",
        "CH9300762011623852957",
        "FR1420041010050500013M02606",
        "GB29NWBK60161331926819",
        "LC55HEMM000100010012001200023015",
        "MT84MALT011000012345MTLCAST001S",
        "NL91ABNA0417164300",
        "NO9386011117947",
        "QA58DOHB00001234567890ABCDEFG",
        "RU0304452522540817810538091310419",
        "TR330006100519786457841326",
        "XK051212012345678906",
        "YE15CBYE0001018861234567891234",
    };
    for (size_t i = 0; i < sizeof examples / sizeof examples[0]; i++) {
        const char *e = examples[i];
        assert_int_equal(lgn_iban_length(e), strlen(e));
        assert_true(lgn_check_iban(e, strlen(e)));
    }
    assert_int_equal(lgn_iban_length("US"), 0);
    assert_int_equal(lgn_iban_length("EF"), 0);
    assert_int_equal(lgn_iban_length("AA"), 0);
    assert_int_equal(lgn_iban_length("ZZ"), 0);
}

static void test_ir_national_code(void **state)
{
    (void)state;
    OK(lgn_check_ir_national_code, "0076229645");
    OK(lgn_check_ir_national_code, "1583250689");
    OK(lgn_check_ir_national_code, "0499370899");
    OK(lgn_check_ir_national_code, "007-622964-5");
    OK(lgn_check_ir_national_code, "11537027"); /* leading zeros left out */
    BAD(lgn_check_ir_national_code, "0076229646");
    BAD(lgn_check_ir_national_code, "1234567890");
    BAD(lgn_check_ir_national_code, "1111111111"); /* passes the sum; all one digit */
    BAD(lgn_check_ir_national_code, "0000000000");
    BAD(lgn_check_ir_national_code, "1230000000");  /* zero middle: no such code */
    BAD(lgn_check_ir_national_code, "1234567");     /* too short */
    BAD(lgn_check_ir_national_code, "00762296451"); /* too long */
}

static void test_ir_legal_id(void **state)
{
    (void)state;
    OK(lgn_check_ir_legal_id, "10380284790");
    BAD(lgn_check_ir_legal_id, "10380284791");
    BAD(lgn_check_ir_legal_id, "1038028479");  /* 10 digits */
    BAD(lgn_check_ir_legal_id, "10300000090"); /* zero middle */
    BAD(lgn_check_ir_legal_id, "103802847900");
}

static void test_sa_national_id(void **state)
{
    (void)state;
    OK(lgn_check_sa_national_id, "1000000008"); /* citizen */
    OK(lgn_check_sa_national_id, "2345678912"); /* iqama */
    OK(lgn_check_sa_national_id, "1045678909");
    BAD(lgn_check_sa_national_id, "1000000009");
    BAD(lgn_check_sa_national_id, "3000000006"); /* Luhn-valid, but starts with 3 */
    BAD(lgn_check_sa_national_id, "100000008");  /* 9 digits */
    BAD(lgn_check_sa_national_id, "2000000001");
}

static void test_phone(void **state)
{
    (void)state;
    OK(lgn_check_phone, "+1 (415) 555-2671");
    OK(lgn_check_phone, "+966 (0)50 123 4567");
    OK(lgn_check_phone, "+49.30.1234567");
    OK(lgn_check_phone, "+1234567");           /* 7 digits */
    BAD(lgn_check_phone, "+123456");           /* 6 */
    BAD(lgn_check_phone, "+1234567890123456"); /* 16 */
    BAD(lgn_check_phone, "+1 (415 555-2671");  /* unpaired */
    BAD(lgn_check_phone, "+1 415) 555-2671");
    BAD(lgn_check_phone, "+1 ((415)) 555-2671"); /* nested */
    BAD(lgn_check_phone, "+1 415 555+2671");     /* '+' inside */
}

static void test_names(void **state)
{
    (void)state;
    for (int i = 1; i < LGN_CHECK_COUNT; i++)
        assert_int_equal(lgn_check_find(lgn_check_name((enum lgn_check)i)), i);
    assert_int_equal(lgn_check_find("lunh"), LGN_CHECK_NONE);
    assert_int_equal(lgn_check_find(""), LGN_CHECK_NONE);
    assert_true(lgn_check_run(LGN_CHECK_NONE, "x", 1));
    assert_true(lgn_check_run(LGN_CHECK_LUHN, "4111111111111111", 16));
    assert_false(lgn_check_run(LGN_CHECK_IBAN, "4111111111111111", 16));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_luhn),
        cmocka_unit_test(test_iban),
        cmocka_unit_test(test_iban_not_hex_ids),
        cmocka_unit_test(test_iban_countries),
        cmocka_unit_test(test_ir_national_code),
        cmocka_unit_test(test_ir_legal_id),
        cmocka_unit_test(test_sa_national_id),
        cmocka_unit_test(test_phone),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
