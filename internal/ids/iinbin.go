package ids

import "fmt"

const (
	iinbinName = "IIN/BIN"
	iinbinLen  = 12
)

// iinbinWeights are the weights of the first pass; iinbinWeights2 are used
// when the first pass yields remainder 10.
var (
	iinbinWeights  = [iinbinLen - 1]int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}
	iinbinWeights2 = [iinbinLen - 1]int{3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2}
)

// IINBIN validates a Kazakhstan individual identification number (IIN) or
// business identification number (BIN). Both are 12 ASCII digits whose last
// digit is a mod-11 check digit over the first 11 (see [IINBINCheckDigit]).
// The date and other fields encoded in the number are not checked.
//
// The returned error wraps [ErrDigits], [ErrLength] or [ErrChecksum].
func IINBIN(s string) error {
	if err := checkDigits(iinbinName, s); err != nil {
		return err
	}
	if len(s) != iinbinLen {
		return lengthError(iinbinName, "12", len(s))
	}
	want, err := iinbinCheck(s[:iinbinLen-1])
	if err != nil {
		return err
	}
	if last := iinbinLen - 1; digit(s, last) != want {
		return checksumError(iinbinName, want, s[last])
	}
	return nil
}

// IINBINCheckDigit computes the check digit for the first 11 digits of an
// IIN or BIN.
//
// The digits are weighted 1 to 11 and summed; the check digit is the sum
// modulo 11. If that remainder is 10, the sum is recomputed with weights
// 3, 4, …, 11, 1, 2; if the remainder is 10 again, no check digit exists,
// such numbers are never issued, and the error wraps [ErrChecksum].
// Input that is not exactly 11 ASCII digits yields an error wrapping
// [ErrDigits] or [ErrLength].
func IINBINCheckDigit(data string) (int, error) {
	if err := checkDigits(iinbinName, data); err != nil {
		return 0, err
	}
	if len(data) != iinbinLen-1 {
		return 0, lengthError(iinbinName, "11 data", len(data))
	}
	return iinbinCheck(data)
}

// iinbinCheck computes the check digit of 11 validated digits.
func iinbinCheck(data string) (int, error) {
	if c := weightedSum(data, iinbinWeights[:]) % 11; c != 10 {
		return c, nil
	}
	if c := weightedSum(data, iinbinWeights2[:]) % 11; c != 10 {
		return c, nil
	}
	return 0, fmt.Errorf("ids: %s: %w: remainder is 10 with both weight sets, so no check digit exists and the number is never issued", iinbinName, ErrChecksum)
}

// weightedSum returns Σ digit(data, i)·weights[i]; len(weights) must equal
// len(data).
func weightedSum(data string, weights []int) int {
	sum := 0
	for i, w := range weights {
		sum += digit(data, i) * w
	}
	return sum
}
