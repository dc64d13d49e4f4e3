package ids

const gtinName = "GTIN"

// GTIN validates a Global Trade Item Number of 8, 12, 13 or 14 ASCII digits
// (GTIN-8, GTIN-12/UPC-A, GTIN-13/EAN-13, GTIN-14). The last digit is the
// GS1 mod-10 check digit over the others (see [GTINCheckDigit]). Leading
// zeros are significant and must be present.
//
// The returned error wraps [ErrDigits], [ErrLength] or [ErrChecksum].
func GTIN(s string) error {
	if err := checkDigits(gtinName, s); err != nil {
		return err
	}
	switch len(s) {
	case 8, 12, 13, 14:
	default:
		return lengthError(gtinName, "8, 12, 13 or 14", len(s))
	}
	last := len(s) - 1
	if want := gtinCheck(s[:last]); digit(s, last) != want {
		return checksumError(gtinName, want, s[last])
	}
	return nil
}

// GTINCheckDigit computes the GS1 check digit for the data digits of a GTIN,
// that is, the number without its check digit: 7, 11, 12 or 13 ASCII digits.
//
// Starting from the rightmost data digit, the digits are weighted 3, 1, 3, 1, …
// and summed; the check digit is (10 − sum mod 10) mod 10.
// Other input yields an error wrapping [ErrDigits] or [ErrLength].
func GTINCheckDigit(data string) (int, error) {
	if err := checkDigits(gtinName, data); err != nil {
		return 0, err
	}
	switch len(data) {
	case 7, 11, 12, 13:
	default:
		return 0, lengthError(gtinName, "7, 11, 12 or 13 data", len(data))
	}
	return gtinCheck(data), nil
}

// gtinCheck computes the check digit of validated data digits of any length.
func gtinCheck(data string) int {
	sum := 0
	for i := len(data) - 1; i >= 0; i -= 2 {
		sum += 3 * digit(data, i)
	}
	for i := len(data) - 2; i >= 0; i -= 2 {
		sum += digit(data, i)
	}
	return (10 - sum%10) % 10
}
