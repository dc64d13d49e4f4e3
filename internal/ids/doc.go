// Package ids validates national and trade identifiers by their check digits.
//
// Every validator takes the identifier exactly as it should appear on the
// wire: ASCII digits '0'–'9' only, with no spaces, separators or Unicode
// digits. A validator returns nil for a valid identifier, or an error that
// names the broken rule and wraps one of the sentinel errors [ErrDigits],
// [ErrLength] or [ErrChecksum], so callers can branch with [errors.Is]:
//
//	if err := ids.IINBIN(s); errors.Is(err, ids.ErrChecksum) {
//		// the number is well formed but mistyped
//	}
//
// The characters are checked before the length, so input such as a string of
// Unicode digits is reported as [ErrDigits] rather than as a puzzling length.
//
// Each identifier also has a CheckDigit function that computes the check digit
// for the data digits, for generating test data and for suggesting
// corrections.
//
// Supported identifiers:
//
//   - [IINBIN]: Kazakhstan individual (IIN) and business (BIN) identification
//     numbers, 12 digits. Only the checksum is verified; the embedded birth date
//     or registration date is not.
//   - [GTIN]: Global Trade Item Numbers GTIN-8, GTIN-12 (UPC-A), GTIN-13
//     (EAN-13) and GTIN-14.
//   - [EDRPOU]: Ukrainian legal entity codes (ЄДРПОУ), 8 digits.
package ids
