package lenient

import "github.com/go-json-experiment/json/jsontext"

// The UnmarshalJSONFrom methods let the single-pass decoder (encoding/json/v2,
// here github.com/go-json-experiment/json) hand each value over in place,
// without the copy it makes for an UnmarshalJSON method, which may keep the
// bytes. The value is read once and parsed at once; nothing keeps it.

// UnmarshalJSONFrom implements json v2's UnmarshalerFrom.
func (s *String) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	v, err := dec.ReadValue()
	if err != nil {
		return err
	}
	return s.UnmarshalJSON(v)
}

// UnmarshalJSONFrom implements json v2's UnmarshalerFrom.
func (n *Int) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	v, err := dec.ReadValue()
	if err != nil {
		return err
	}
	return n.UnmarshalJSON(v)
}

// UnmarshalJSONFrom implements json v2's UnmarshalerFrom.
func (b *Bool) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	v, err := dec.ReadValue()
	if err != nil {
		return err
	}
	return b.UnmarshalJSON(v)
}

// UnmarshalJSONFrom implements json v2's UnmarshalerFrom.
func (d *Decimal) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	v, err := dec.ReadValue()
	if err != nil {
		return err
	}
	return d.UnmarshalJSON(v)
}

// UnmarshalJSONFrom implements json v2's UnmarshalerFrom.
func (t *TimeIn[Z]) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	v, err := dec.ReadValue()
	if err != nil {
		return err
	}
	return t.UnmarshalJSON(v)
}
