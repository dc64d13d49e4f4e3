package pkcs12

import (
	"encoding/asn1"
	"errors"
	"fmt"
)

// ASN.1 tag classes.
const (
	classUniversal = 0
	classContext   = 2
)

// Universal tag numbers used by PKCS#12.
const (
	tagInteger     = 2
	tagOctetString = 4
	tagOID         = 6
	tagSequence    = 16
	tagSet         = 17
	tagBMPString   = 30
)

// maxDepth bounds the nesting of BER elements, so hostile input cannot
// exhaust the stack.
const maxDepth = 64

// errTruncated reports BER input that ends inside an element.
var errTruncated = errors.New("pkcs12: malformed BER: truncated element")

// node is one BER element. Constructed elements have their children parsed;
// primitive ones keep their content octets. All slices alias the input.
type node struct {
	class       int
	tag         int
	constructed bool
	raw         []byte  // the whole encoding: header, content and, if indefinite, the end-of-contents octets
	value       []byte  // content octets of a primitive element
	children    []*node // children of a constructed element
}

// parseBER parses data as exactly one BER element (DER is a subset).
func parseBER(data []byte) (*node, error) {
	n, rest, err := parseNode(data, 0)
	if err != nil {
		return nil, err
	}
	if len(rest) != 0 {
		return nil, errors.New("pkcs12: malformed BER: trailing data after element")
	}
	return n, nil
}

// parseNode parses one element at the start of data and returns it with the
// bytes that follow it.
func parseNode(data []byte, depth int) (*node, []byte, error) {
	if depth > maxDepth {
		return nil, nil, errors.New("pkcs12: malformed BER: nesting too deep")
	}
	if len(data) < 2 {
		return nil, nil, errTruncated
	}
	b := data[0]
	n := &node{class: int(b >> 6), constructed: b&0x20 != 0, tag: int(b & 0x1f)}
	off := 1
	if n.tag == 0x1f { // high tag number form
		n.tag = 0
		for {
			if off >= len(data) {
				return nil, nil, errTruncated
			}
			c := data[off]
			off++
			if n.tag >= 1<<24 {
				return nil, nil, errors.New("pkcs12: malformed BER: tag number too large")
			}
			n.tag = n.tag<<7 | int(c&0x7f)
			if c&0x80 == 0 {
				break
			}
		}
	}
	if n.class == classUniversal && n.tag == 0 {
		return nil, nil, errors.New("pkcs12: malformed BER: unexpected end-of-contents")
	}
	if off >= len(data) {
		return nil, nil, errTruncated
	}
	l := data[off]
	off++
	var length int
	switch {
	case l < 0x80:
		length = int(l)
	case l == 0x80:
		return parseIndefinite(n, data, off, depth)
	case l == 0xff:
		return nil, nil, errors.New("pkcs12: malformed BER: reserved length octet")
	default:
		k := int(l & 0x7f)
		if k > 4 {
			return nil, nil, errors.New("pkcs12: malformed BER: length too large")
		}
		if k > len(data)-off {
			return nil, nil, errTruncated
		}
		var v uint64
		for _, c := range data[off : off+k] {
			v = v<<8 | uint64(c)
		}
		off += k
		if v > uint64(len(data)-off) {
			return nil, nil, errTruncated
		}
		length = int(v)
	}
	if length > len(data)-off {
		return nil, nil, errTruncated
	}
	end := off + length
	n.raw = data[:end]
	content := data[off:end]
	if !n.constructed {
		n.value = content
		return n, data[end:], nil
	}
	for len(content) > 0 {
		child, rest, err := parseNode(content, depth+1)
		if err != nil {
			return nil, nil, err
		}
		n.children = append(n.children, child)
		content = rest
	}
	return n, data[end:], nil
}

// parseIndefinite parses the children of an indefinite-length element whose
// header ends at off, up to and including its end-of-contents octets.
func parseIndefinite(n *node, data []byte, off, depth int) (*node, []byte, error) {
	if !n.constructed {
		return nil, nil, errors.New("pkcs12: malformed BER: indefinite length on a primitive element")
	}
	body := data[off:]
	for {
		if len(body) >= 2 && body[0] == 0 && body[1] == 0 {
			end := len(data) - len(body) + 2
			n.raw = data[:end]
			return n, data[end:], nil
		}
		if len(body) == 0 {
			return nil, nil, errTruncated
		}
		child, rest, err := parseNode(body, depth+1)
		if err != nil {
			return nil, nil, err
		}
		n.children = append(n.children, child)
		body = rest
	}
}

// is reports whether n has the given class and tag number.
func (n *node) is(class, tag int) bool {
	return n.class == class && n.tag == tag
}

// seq returns the children of a SEQUENCE, which must number at least minLen.
func (n *node) seq(what string, minLen int) ([]*node, error) {
	return n.constructedOf(what, tagSequence, minLen)
}

// set returns the children of a SET, which must number at least minLen.
func (n *node) set(what string, minLen int) ([]*node, error) {
	return n.constructedOf(what, tagSet, minLen)
}

func (n *node) constructedOf(what string, tag, minLen int) ([]*node, error) {
	if !n.is(classUniversal, tag) || !n.constructed {
		return nil, fmt.Errorf("pkcs12: malformed %s: unexpected tag %d", what, n.tag)
	}
	if len(n.children) < minLen {
		return nil, fmt.Errorf("pkcs12: malformed %s: %d fields, want at least %d", what, len(n.children), minLen)
	}
	return n.children, nil
}

// explicit unwraps an EXPLICIT context-specific tag: n must be [tag] and
// constructed with exactly one child, which it returns.
func (n *node) explicit(what string, tag int) (*node, error) {
	if !n.is(classContext, tag) || !n.constructed || len(n.children) != 1 {
		return nil, fmt.Errorf("pkcs12: malformed %s: want one element in [%d]", what, tag)
	}
	return n.children[0], nil
}

// octets returns the content of an OCTET STRING, or of an element IMPLICIT-ly
// tagged in its place. A constructed string yields the concatenation of its
// chunks, which must themselves be OCTET STRINGs. It also reads other
// universal string types (such as BMPString), whose chunks carry their own
// tag.
func (n *node) octets(what string) ([]byte, error) {
	if n.class == classUniversal && n.tag != tagOctetString && n.tag != tagBMPString {
		return nil, fmt.Errorf("pkcs12: malformed %s: want a string, got tag %d", what, n.tag)
	}
	if !n.constructed {
		return n.value, nil
	}
	chunkTag := tagOctetString
	if n.class == classUniversal {
		chunkTag = n.tag
	}
	var out []byte
	if err := n.appendChunks(what, chunkTag, &out); err != nil {
		return nil, err
	}
	return out, nil
}

func (n *node) appendChunks(what string, chunkTag int, out *[]byte) error {
	for _, c := range n.children {
		if !c.is(classUniversal, chunkTag) {
			return fmt.Errorf("pkcs12: malformed %s: constructed string chunk has tag %d", what, c.tag)
		}
		if !c.constructed {
			*out = append(*out, c.value...)
			continue
		}
		if err := c.appendChunks(what, chunkTag, out); err != nil {
			return err
		}
	}
	return nil
}

// oid decodes an OBJECT IDENTIFIER.
func (n *node) oid(what string) (asn1.ObjectIdentifier, error) {
	if !n.is(classUniversal, tagOID) || n.constructed || len(n.value) == 0 {
		return nil, fmt.Errorf("pkcs12: malformed %s: want an object identifier", what)
	}
	var ids []int
	v := 0
	for i, c := range n.value {
		if v >= 1<<24 {
			return nil, fmt.Errorf("pkcs12: malformed %s: object identifier arc too large", what)
		}
		v = v<<7 | int(c&0x7f)
		if c&0x80 != 0 {
			if i == len(n.value)-1 {
				return nil, fmt.Errorf("pkcs12: malformed %s: truncated object identifier", what)
			}
			continue
		}
		if ids == nil {
			switch {
			case v < 40:
				ids = append(ids, 0, v)
			case v < 80:
				ids = append(ids, 1, v-40)
			default:
				ids = append(ids, 2, v-80)
			}
		} else {
			ids = append(ids, v)
		}
		v = 0
	}
	return asn1.ObjectIdentifier(ids), nil
}

// int decodes an INTEGER that fits in 32 bits.
func (n *node) int(what string) (int, error) {
	if !n.is(classUniversal, tagInteger) || n.constructed || len(n.value) == 0 {
		return 0, fmt.Errorf("pkcs12: malformed %s: want an integer", what)
	}
	b := n.value
	for len(b) > 1 && (b[0] == 0 && b[1]&0x80 == 0 || b[0] == 0xff && b[1]&0x80 != 0) {
		b = b[1:] // drop redundant sign octets
	}
	if len(b) > 4 {
		return 0, fmt.Errorf("pkcs12: malformed %s: integer too large", what)
	}
	v := int64(int8(b[0]))
	for _, c := range b[1:] {
		v = v<<8 | int64(c)
	}
	return int(v), nil
}
