package pkcs12

import (
	"bytes"
	"crypto"
	"crypto/hmac"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"strings"
	"unicode/utf16"
)

// ErrIncorrectPassword is returned (possibly wrapped) when the password does
// not match the file: the MAC does not verify, or a decrypted bag has
// invalid padding.
var ErrIncorrectPassword = errors.New("pkcs12: incorrect password")

// ErrUnsupported is wrapped by the errors for algorithms and structures this
// package does not implement.
var ErrUnsupported = errors.New("pkcs12: unsupported")

// maxBagNesting bounds the nesting of safeContentsBag.
const maxBagNesting = 8

var (
	oidData          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	oidEncryptedData = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 6}

	oidKeyBag          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 10, 1, 1}
	oidShroudedKeyBag  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 10, 1, 2}
	oidCertBag         = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 10, 1, 3}
	oidSafeContentsBag = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 10, 1, 6}
	oidX509Certificate = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 22, 1}
	oidFriendlyName    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 20}
	oidLocalKeyID      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 21}
	oidSHA1            = asn1.ObjectIdentifier{1, 3, 14, 3, 2, 26}
	oidSHA224          = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 4}
	oidSHA256          = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	oidSHA384          = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 2}
	oidSHA512          = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 3}
)

// Bundle is the content of a PKCS#12 file.
type Bundle struct {
	// Keys holds every private key, from pkcs8ShroudedKeyBag and keyBag
	// bags, in file order.
	Keys []Key
	// Certificates holds every X.509 certificate from certBag bags, in file
	// order.
	Certificates []*x509.Certificate

	// certKeyIDs[i] is the localKeyId attribute of Certificates[i].
	certKeyIDs [][]byte
}

// Key is a private key from a PKCS#12 file.
type Key struct {
	// PKCS8 is the decrypted PrivateKeyInfo, as stored in the file. For RSA,
	// ECDSA and Ed25519 keys x509.ParsePKCS8PrivateKey parses it; GOST keys
	// it does not.
	PKCS8 []byte
	// Algorithm is privateKeyAlgorithm.algorithm of the PrivateKeyInfo.
	Algorithm asn1.ObjectIdentifier
	// LocalKeyID is the localKeyId bag attribute, or nil.
	LocalKeyID []byte
	// FriendlyName is the friendlyName bag attribute, or "".
	FriendlyName string
}

// Decode reads a PKCS#12 file (BER or DER) protected by password.
//
// A wrong password yields an error wrapping [ErrIncorrectPassword];
// algorithms and structures this package does not implement yield an error
// wrapping [ErrUnsupported]. Errors never contain the password.
func Decode(data []byte, password string) (*Bundle, error) {
	pfx, err := parseBER(data)
	if err != nil {
		return nil, err
	}
	fields, err := pfx.seq("PFX", 2)
	if err != nil {
		return nil, err
	}
	version, err := fields[0].int("PFX version")
	if err != nil {
		return nil, err
	}
	if version != 3 {
		return nil, fmt.Errorf("%w: PFX version %d", ErrUnsupported, version)
	}
	ct, content, err := contentInfo(fields[1], "authSafe")
	if err != nil {
		return nil, err
	}
	if !ct.Equal(oidData) {
		return nil, fmt.Errorf("%w: authSafe content type %s (public-key integrity mode)", ErrUnsupported, ct)
	}
	authSafe, err := dataContent(content, "authSafe")
	if err != nil {
		return nil, err
	}

	d := &decrypter{bmp: bmpPassword(password), raw: []byte(password)}
	if len(fields) > 2 {
		if d.bmp, err = verifyMAC(fields[2], authSafe, password); err != nil {
			return nil, err
		}
	}

	safe, err := parseBER(authSafe)
	if err != nil {
		return nil, err
	}
	infos, err := safe.seq("AuthenticatedSafe", 0)
	if err != nil {
		return nil, err
	}
	b := new(Bundle)
	for _, info := range infos {
		ct, content, err := contentInfo(info, "AuthenticatedSafe entry")
		if err != nil {
			return nil, err
		}
		var sc []byte
		switch {
		case ct.Equal(oidData):
			sc, err = dataContent(content, "SafeContents")
		case ct.Equal(oidEncryptedData):
			sc, err = d.encryptedData(content)
		default:
			err = fmt.Errorf("%w: AuthenticatedSafe content type %s", ErrUnsupported, ct)
		}
		if err != nil {
			return nil, err
		}
		if err := b.addSafeContents(d, sc, 0); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// contentInfo reads a PKCS#7 ContentInfo and returns its content type and
// the element inside its [0] EXPLICIT content (nil when absent).
func contentInfo(n *node, what string) (asn1.ObjectIdentifier, *node, error) {
	f, err := n.seq(what, 1)
	if err != nil {
		return nil, nil, err
	}
	ct, err := f[0].oid(what + " content type")
	if err != nil {
		return nil, nil, err
	}
	if len(f) < 2 {
		return ct, nil, nil
	}
	content, err := f[1].explicit(what+" content", 0)
	if err != nil {
		return nil, nil, err
	}
	return ct, content, nil
}

// dataContent returns the octets of pkcs7-data content.
func dataContent(content *node, what string) ([]byte, error) {
	if content == nil {
		return nil, fmt.Errorf("pkcs12: malformed %s: missing content", what)
	}
	if !content.is(classUniversal, tagOctetString) {
		return nil, fmt.Errorf("pkcs12: malformed %s: content is not an OCTET STRING", what)
	}
	return content.octets(what)
}

// verifyMAC checks the PFX MacData over authSafe and returns the BMP
// password form that verified it.
func verifyMAC(macData *node, authSafe []byte, password string) ([]byte, error) {
	f, err := macData.seq("MacData", 2)
	if err != nil {
		return nil, err
	}
	digestInfo, err := f[0].seq("MAC DigestInfo", 2)
	if err != nil {
		return nil, err
	}
	alg, err := digestInfo[0].seq("MAC algorithm", 1)
	if err != nil {
		return nil, err
	}
	oid, err := alg[0].oid("MAC algorithm")
	if err != nil {
		return nil, err
	}
	h := hashFor(oid, false)
	if h == nil {
		return nil, fmt.Errorf("%w: MAC algorithm %s", ErrUnsupported, oid)
	}
	digest, err := digestInfo[1].octets("MAC digest")
	if err != nil {
		return nil, err
	}
	salt, err := f[1].octets("MAC salt")
	if err != nil {
		return nil, err
	}
	iterations := 1
	if len(f) > 2 {
		if iterations, err = f[2].int("MAC iterations"); err != nil {
			return nil, err
		}
	}
	if err := checkIterations(iterations); err != nil {
		return nil, err
	}

	candidates := [][]byte{bmpPassword(password)}
	if password == "" {
		// Some writers encode the empty password as no octets at all.
		candidates = append(candidates, nil)
	}
	for _, pw := range candidates {
		key := deriveKey(h, pw, salt, kdfMAC, iterations, h().Size())
		mac := hmac.New(h, key)
		mac.Write(authSafe)
		if hmac.Equal(mac.Sum(nil), digest) {
			return pw, nil
		}
	}
	return nil, ErrIncorrectPassword
}

// encryptedData decrypts PKCS#7 EncryptedData content and returns the
// plaintext.
func (d *decrypter) encryptedData(content *node) ([]byte, error) {
	if content == nil {
		return nil, errors.New("pkcs12: malformed EncryptedData: missing content")
	}
	f, err := content.seq("EncryptedData", 2)
	if err != nil {
		return nil, err
	}
	if _, err := f[0].int("EncryptedData version"); err != nil {
		return nil, err
	}
	eci, err := f[1].seq("EncryptedContentInfo", 3)
	if err != nil {
		return nil, err
	}
	if !eci[2].is(classContext, 0) {
		return nil, errors.New("pkcs12: malformed EncryptedContentInfo: want [0] encrypted content")
	}
	ct, err := eci[2].octets("encrypted content")
	if err != nil {
		return nil, err
	}
	return d.decrypt(eci[1], ct)
}

// addSafeContents adds the keys and certificates of the SafeContents
// encoded in data to b.
func (b *Bundle) addSafeContents(d *decrypter, data []byte, depth int) error {
	sc, err := parseBER(data)
	if err != nil {
		return err
	}
	bags, err := sc.seq("SafeContents", 0)
	if err != nil {
		return err
	}
	for _, bag := range bags {
		if err := b.addBag(d, bag, depth); err != nil {
			return err
		}
	}
	return nil
}

// addBag adds one SafeBag to b. Bag types other than keys, X.509
// certificates and nested SafeContents are skipped.
func (b *Bundle) addBag(d *decrypter, bag *node, depth int) error {
	f, err := bag.seq("SafeBag", 2)
	if err != nil {
		return err
	}
	id, err := f[0].oid("SafeBag type")
	if err != nil {
		return err
	}
	value, err := f[1].explicit("SafeBag value", 0)
	if err != nil {
		return err
	}
	var localKeyID []byte
	var friendlyName string
	if len(f) > 2 {
		if localKeyID, friendlyName, err = bagAttributes(f[2]); err != nil {
			return err
		}
	}

	switch {
	case id.Equal(oidKeyBag):
		return b.addKey(bytes.Clone(value.raw), localKeyID, friendlyName)
	case id.Equal(oidShroudedKeyBag):
		epki, err := value.seq("EncryptedPrivateKeyInfo", 2)
		if err != nil {
			return err
		}
		ct, err := epki[1].octets("EncryptedPrivateKeyInfo data")
		if err != nil {
			return err
		}
		pkcs8, err := d.decrypt(epki[0], ct)
		if err != nil {
			return fmt.Errorf("pkcs12: decrypting private key: %w", err)
		}
		return b.addKey(pkcs8, localKeyID, friendlyName)
	case id.Equal(oidCertBag):
		cb, err := value.seq("CertBag", 2)
		if err != nil {
			return err
		}
		certType, err := cb[0].oid("CertBag type")
		if err != nil {
			return err
		}
		if !certType.Equal(oidX509Certificate) {
			return nil
		}
		inner, err := cb[1].explicit("CertBag value", 0)
		if err != nil {
			return err
		}
		der, err := inner.octets("CertBag value")
		if err != nil {
			return err
		}
		cert, err := x509.ParseCertificate(bytes.Clone(der))
		if err != nil {
			return fmt.Errorf("pkcs12: parsing certificate: %w", err)
		}
		b.Certificates = append(b.Certificates, cert)
		b.certKeyIDs = append(b.certKeyIDs, localKeyID)
		return nil
	case id.Equal(oidSafeContentsBag):
		if depth >= maxBagNesting {
			return errors.New("pkcs12: malformed SafeContents: nested too deep")
		}
		return b.addSafeContents(d, value.raw, depth+1)
	}
	return nil
}

// addKey records a decrypted PrivateKeyInfo.
func (b *Bundle) addKey(pkcs8, localKeyID []byte, friendlyName string) error {
	pki, err := parseBER(pkcs8)
	if err != nil {
		return fmt.Errorf("pkcs12: decrypted private key: %w", err)
	}
	f, err := pki.seq("PrivateKeyInfo", 3)
	if err != nil {
		return err
	}
	alg, err := f[1].seq("PrivateKeyInfo algorithm", 1)
	if err != nil {
		return err
	}
	oid, err := alg[0].oid("PrivateKeyInfo algorithm")
	if err != nil {
		return err
	}
	b.Keys = append(b.Keys, Key{PKCS8: pkcs8, Algorithm: oid, LocalKeyID: localKeyID, FriendlyName: friendlyName})
	return nil
}

// bagAttributes reads the localKeyId and friendlyName attributes from a
// SafeBag's attribute SET; other attributes are ignored.
func bagAttributes(n *node) (localKeyID []byte, friendlyName string, err error) {
	attrs, err := n.set("SafeBag attributes", 0)
	if err != nil {
		return nil, "", err
	}
	for _, a := range attrs {
		f, err := a.seq("bag attribute", 2)
		if err != nil {
			return nil, "", err
		}
		id, err := f[0].oid("bag attribute type")
		if err != nil {
			return nil, "", err
		}
		values, err := f[1].set("bag attribute values", 1)
		if err != nil {
			return nil, "", err
		}
		switch {
		case id.Equal(oidLocalKeyID):
			if !values[0].is(classUniversal, tagOctetString) {
				return nil, "", errors.New("pkcs12: malformed localKeyId: not an OCTET STRING")
			}
			v, err := values[0].octets("localKeyId")
			if err != nil {
				return nil, "", err
			}
			localKeyID = bytes.Clone(v)
		case id.Equal(oidFriendlyName):
			if !values[0].is(classUniversal, tagBMPString) {
				return nil, "", errors.New("pkcs12: malformed friendlyName: not a BMPString")
			}
			v, err := values[0].octets("friendlyName")
			if err != nil {
				return nil, "", err
			}
			if friendlyName, err = decodeBMP(v); err != nil {
				return nil, "", err
			}
		}
	}
	return localKeyID, friendlyName, nil
}

// decodeBMP decodes a BMPString (UTF-16 big-endian), dropping trailing NULs.
func decodeBMP(b []byte) (string, error) {
	if len(b)%2 != 0 {
		return "", errors.New("pkcs12: malformed BMPString: odd length")
	}
	units := make([]uint16, len(b)/2)
	for i := range units {
		units[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
	}
	return strings.TrimRight(string(utf16.Decode(units)), "\x00"), nil
}

// CertificateFor returns the certificate whose localKeyId matches the key's,
// else the one whose public key matches the key (for keys
// x509.ParsePKCS8PrivateKey parses: RSA, ECDSA, Ed25519), else nil.
func (b *Bundle) CertificateFor(k Key) *x509.Certificate {
	if b == nil {
		return nil
	}
	if len(k.LocalKeyID) > 0 && len(b.certKeyIDs) == len(b.Certificates) {
		for i, id := range b.certKeyIDs {
			if bytes.Equal(id, k.LocalKeyID) {
				return b.Certificates[i]
			}
		}
	}
	priv, err := x509.ParsePKCS8PrivateKey(k.PKCS8)
	if err != nil {
		return nil
	}
	signer, ok := priv.(interface{ Public() crypto.PublicKey })
	if !ok {
		return nil
	}
	pub, ok := signer.Public().(interface{ Equal(crypto.PublicKey) bool })
	if !ok {
		return nil
	}
	for _, c := range b.Certificates {
		if c.PublicKey != nil && pub.Equal(c.PublicKey) {
			return c
		}
	}
	return nil
}
