package testkit

import "strconv"

// IINBIN completes the 11 digits d into a Kazakhstan IIN/BIN whose check
// digit is valid: the sum of the digits weighted 1..11 modulo 11, or, when
// that is 10, weighted 3..11,1,2; when that too is 10, no check digit
// exists, and the 11th digit is nudged until one does. It is written
// independently of internal/ids, so that tests can hold the two to each
// other.
func IINBIN(d string) string {
	for {
		w1, w2 := 0, 0
		for i := range 11 {
			w1 += int(d[i]-'0') * (i + 1)
			w2 += int(d[i]-'0') * ((i+2)%11 + 1)
		}
		if c := w1 % 11; c < 10 {
			return d + strconv.Itoa(c)
		}
		if c := w2 % 11; c < 10 {
			return d + strconv.Itoa(c)
		}
		b := []byte(d)
		b[10] = '0' + (b[10]-'0'+1)%10
		d = string(b)
	}
}
