package ids

const (
	edrpouName = "EDRPOU"
	edrpouLen  = 8
)

// edrpouWeights apply to codes below 30000000 or from 60000000;
// edrpouWeightsMid apply to codes 30000000–59999999.
var (
	edrpouWeights    = [edrpouLen - 1]int{1, 2, 3, 4, 5, 6, 7}
	edrpouWeightsMid = [edrpouLen - 1]int{7, 1, 2, 3, 4, 5, 6}
)

// EDRPOU validates a Ukrainian legal entity code (ЄДРПОУ): 8 ASCII digits
// whose last digit is a check digit over the first 7 (see
// [EDRPOUCheckDigit]).
//
// The returned error wraps [ErrDigits], [ErrLength] or [ErrChecksum].
func EDRPOU(s string) error {
	if err := checkDigits(edrpouName, s); err != nil {
		return err
	}
	if len(s) != edrpouLen {
		return lengthError(edrpouName, "8", len(s))
	}
	last := edrpouLen - 1
	if want := edrpouCheck(s[:last]); digit(s, last) != want {
		return checksumError(edrpouName, want, s[last])
	}
	return nil
}

// EDRPOUCheckDigit computes the check digit for the first 7 digits of an
// EDRPOU code.
//
// The digits are weighted 1, 2, …, 7, or 7, 1, 2, …, 6 when the code lies in
// 30000000–59999999 (first digit 3, 4 or 5), and the check digit is the sum
// modulo 11. If that remainder is 10, every weight is increased by 2 and the
// check digit becomes (sum mod 11) mod 10.
// Input that is not exactly 7 ASCII digits yields an error wrapping
// [ErrDigits] or [ErrLength].
func EDRPOUCheckDigit(data string) (int, error) {
	if err := checkDigits(edrpouName, data); err != nil {
		return 0, err
	}
	if len(data) != edrpouLen-1 {
		return 0, lengthError(edrpouName, "7 data", len(data))
	}
	return edrpouCheck(data), nil
}

// edrpouCheck computes the check digit of 7 validated digits.
func edrpouCheck(data string) int {
	weights := edrpouWeights
	if data[0] >= '3' && data[0] <= '5' {
		weights = edrpouWeightsMid
	}
	if c := weightedSum(data, weights[:]) % 11; c != 10 {
		return c
	}
	for i := range weights {
		weights[i] += 2 // weights is a copy of the package-level array
	}
	return weightedSum(data, weights[:]) % 11 % 10
}
