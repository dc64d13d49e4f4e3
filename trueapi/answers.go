package trueapi

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/steppe-sdk/steppe/internal/lenient"
)

// Checks of an answer's outer shape, shared by the decoders: a 2xx answer
// that is not the documented shape is an error matching ErrDecode (for a
// call that creates something, an [*OutcomeUnknownError]), never an empty
// success.

// jsonObject decodes body, which must be a JSON object, into v. JSON null,
// an array, a string or an empty answer is refused.
func jsonObject(body []byte, v any) error {
	b := bytes.TrimSpace(body)
	if len(b) == 0 {
		return errors.New("the answer is empty, not a JSON object")
	}
	if b[0] != '{' {
		return errors.New("the answer is not a JSON object")
	}
	return lenient.Unmarshal(b, v)
}

// isNull reports whether b is JSON null (or nothing but white space).
func isNull(b []byte) bool {
	b = bytes.TrimSpace(b)
	return len(b) == 0 || string(b) == "null"
}

// errNullList is the cause of an answer that is null, or empty, where the
// documentation gives a list: an empty list is [], and null is not one.
var errNullList = errors.New("the answer is null where a list is documented")

// notNull refuses an answer that is JSON null or empty where the
// documentation gives a list or an object holding one.
func notNull(body []byte) error {
	if isNull(body) {
		return errNullList
	}
	return nil
}

// wireList is a list member of an answer that the documentation requires:
// JSON null in its place is refused (errNullList), and Set reports whether
// the member was there at all.
type wireList[T any] struct {
	Items []T
	Set   bool
}

// UnmarshalJSON implements [json.Unmarshaler].
func (l *wireList[T]) UnmarshalJSON(b []byte) error {
	if isNull(b) {
		return errNullList
	}
	l.Set = true
	return lenient.Unmarshal(b, &l.Items)
}

// UnmarshalJSONFrom implements json v2's UnmarshalerFrom: the list is
// decoded in place, in the same pass as the answer around it.
func (l *wireList[T]) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	if dec.PeekKind() == 'n' {
		return readNullList(dec)
	}
	l.Set = true
	return jsonv2.UnmarshalDecode(dec, &l.Items)
}

// readNullList reads the null where dec's next value is null and a list
// (or an object holding one) is documented, and refuses it.
func readNullList(dec *jsontext.Decoder) error {
	if _, err := dec.ReadValue(); err != nil {
		return err
	}
	return errNullList
}

// require refuses a missing member named name.
func (l *wireList[T]) require(name string) error {
	if !l.Set {
		return errors.New("the answer has no " + name + " list")
	}
	return nil
}

// xmlDocument checks that b is one well-formed XML document before
// anything signs it or hands it over as XML (the EDO documents and titles
// of D-3, D-4, D-7 … D-9 and D-11, and the documents sent to D-13 …
// D-17): encoding/xml reads the whole of it, elements closed in order,
// attributes quoted, entities known, and it must hold exactly one root
// element, with nothing but white space, comments, processing
// instructions and a doctype outside it. A UTF-8 byte order mark is
// allowed. A declared encoding other than UTF-8 (windows-1251, say) is
// read byte by byte as Latin-1: that keeps the markup of any ASCII-based
// single-byte encoding checkable without decoding its text.
func xmlDocument(b []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))))
	dec.Strict = true
	dec.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) {
		raw, err := io.ReadAll(r)
		if err != nil {
			return nil, err
		}
		out := make([]byte, 0, len(raw)+len(raw)/2)
		for _, c := range raw {
			out = utf8.AppendRune(out, rune(c))
		}
		return bytes.NewReader(out), nil
	}
	roots, depth := 0, 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("not well-formed XML: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				if roots++; roots > 1 {
					return errors.New("not one XML document: a second root element <" + t.Name.Local + ">")
				}
			}
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			if depth == 0 && len(bytes.TrimSpace(t)) != 0 {
				return errors.New("not an XML document: text outside the root element")
			}
		}
	}
	if roots == 0 {
		return errors.New("not an XML document: no root element")
	}
	return nil
}

// jsonDocument checks that b, a document about to be signed whose
// documented format is JSON (the EAEU shipment of D-18, the acceptance of
// D-23), is one JSON object.
func jsonDocument(b []byte) error {
	t := bytes.TrimSpace(b)
	if len(t) == 0 || t[0] != '{' || !json.Valid(t) {
		return errors.New("not a JSON object")
	}
	return nil
}
