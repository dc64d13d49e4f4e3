package gost

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"encoding/asn1"
	"math/big"
	"strings"
	"testing"
)

func dec(t testing.TB, s string) *big.Int {
	t.Helper()
	n, ok := new(big.Int).SetString(strings.Join(strings.Fields(s), ""), 10)
	if !ok {
		t.Fatalf("bad number %q", s)
	}
	return n
}

// workedExample is an example of GOST R 34.10: a curve, a key, a digest
// value e, the nonce k and the signature (r, s) the standard prints.
type workedExample struct {
	c                     *curve
	d, qx, qy, e, k, r, s *big.Int
}

func (w workedExample) check(t *testing.T) {
	t.Helper()
	c := w.c
	if !c.isOnCurve(c.x, c.y) {
		t.Fatal("the base point is not on the curve")
	}
	if !c.q.ProbablyPrime(20) {
		t.Fatal("q is not prime")
	}
	// The public key is d·P.
	pk, err := newPrivateKeyOn(c, w.d)
	if err != nil {
		t.Fatal(err)
	}
	if pk.x.Cmp(w.qx) != 0 || pk.y.Cmp(w.qy) != 0 {
		t.Fatalf("d·P = (%v, %v)", pk.x, pk.y)
	}
	// Signing with the given k gives the printed (r, s), with and
	// without the ladder's projective randomisation.
	for _, rnd := range []bool{false, true} {
		var src = rand.Reader
		if !rnd {
			src = nil
		}
		r, s, ok, err := c.signWithK(w.d, w.e, w.k, src)
		if err != nil || !ok {
			t.Fatal(ok, err)
		}
		if r.Cmp(w.r) != 0 || s.Cmp(w.s) != 0 {
			t.Fatalf("sign: r = %v, s = %v", r, s)
		}
	}
	if !c.verify(w.qx, w.qy, w.e, w.r, w.s) {
		t.Fatal("the printed signature does not verify")
	}
	// A changed digest, r or s fails.
	one := big.NewInt(1)
	if c.verify(w.qx, w.qy, new(big.Int).Add(w.e, one), w.r, w.s) ||
		c.verify(w.qx, w.qy, w.e, new(big.Int).Add(w.r, one), w.s) ||
		c.verify(w.qx, w.qy, w.e, w.r, new(big.Int).Add(w.s, one)) {
		t.Fatal("a changed signature verifies")
	}
	// Out-of-range r and s fail.
	if c.verify(w.qx, w.qy, w.e, new(big.Int), w.s) || c.verify(w.qx, w.qy, w.e, w.r, c.q) {
		t.Fatal("an out-of-range signature verifies")
	}
}

// affine is a test helper: d·G in affine coordinates.
type affine struct{ x, y *big.Int }

func newPrivateKeyOn(c *curve, d *big.Int) (affine, error) {
	p, err := c.scalarMult(d, c.x, c.y, rand.Reader)
	if err != nil {
		return affine{}, err
	}
	x, y, _ := c.toAffine(&p)
	return affine{x, y}, nil
}

// GOST R 34.10-2012, appendix A.2 (also RFC 7091 section A.2): the
// 512-bit example.
func TestGOST2012Example512(t *testing.T) {
	t.Parallel()
	p := dec(t, "3623986102229003635907788753683874306021320925534678605086546150450856166624002482588482022271496854025090823603058735163734263822371964987228582907372403")
	q := dec(t, "3623986102229003635907788753683874306021320925534678605086546150450856166623969164898305032863068499961404079437936585455865192212970734808812618120619743")
	c := newCurve("GOST R 34.10-2012 A.2", p, q, big.NewInt(7),
		dec(t, "1518655069210828534508950034714043154928747527740206436194018823352809982443793732829756914785974674866041605397883677596626326413990136959047435811826396"),
		dec(t, "1928356944067022849399309401243137598997786635459507974357075491307766592685835441065557681003184874819658004903212332884252335830250729527632383493573274"),
		dec(t, "2288728693371972859970012155529478416353562327329506180314497425931102860301572814141997072271708807066593850650334152381857347798885864807605098724013854"),
		64)
	workedExample{
		c:  c,
		d:  dec(t, "610081804136373098219538153239847583006845519069531562982388135354890606301782255383608393423372379057665527595116827307025046458837440766121180466875860"),
		qx: dec(t, "909546853002536596556690768669830310006929272546556281596372965370312498563182320436892870052842808608262832456858223580713780290717986855863433431150561"),
		qy: dec(t, "2921457203374425620632449734248415455640700823559488705164895837509539134297327397380287741428246088626609329139441895016863758984106326600572476822372076"),
		e:  dec(t, "2897963881682868575562827278553865049173745197871825199562947419041388950970536661109553499954248733088719748844538964641281654463513296973827706272045964"),
		k:  dec(t, "175516356025850499540628279921125280333451031747737791650208144243182057075034446102986750962508909227235866126872473516807810541747529710309879958632945"),
		r:  dec(t, "2489204477031349265072864643032147753667451319282131444027498637357611092810221795101871412928823716805959828708330284243653453085322004442442534151761462"),
		s:  dec(t, "864523221707669519038849297382936917075023735848431579919598799313385180564748877195639672460179421760770893278030956807690115822709903853682831835159370"),
	}.check(t)
}

// GOST R 34.10-2001 (RFC 5832 section 7.1, and GOST R 34.10-2012 A.1):
// the 256-bit example, the algorithm of GOST 34.310-2004.
func TestGOST2001Example256(t *testing.T) {
	t.Parallel()
	c := newCurve("GOST R 34.10-2001 example",
		dec(t, "57896044618658097711785492504343953926634992332820282019728792003956564821041"),
		dec(t, "57896044618658097711785492504343953927082934583725450622380973592137631069619"),
		big.NewInt(7),
		dec(t, "43308876546767276905765904595650931995942111794451039583252968842033849580414"),
		big.NewInt(2),
		dec(t, "4018974056539037503335449422937059775635739389905545080690979365213431566280"),
		32)
	workedExample{
		c:  c,
		d:  dec(t, "55441196065363246126355624130324183196576709222340016572108097750006097525544"),
		qx: dec(t, "57520216126176808443631405023338071176630104906313632182896741342206604859403"),
		qy: dec(t, "17614944419213781543809391949654080031942662045363639260709847859438286763994"),
		e:  dec(t, "20798893674476452017134061561508270130637142515379653289952617252661468872421"),
		k:  dec(t, "53854137677348463731403841147996619241504003434302020712960838528893196233395"),
		r:  dec(t, "29700980915817952874371204983938256990422752107994319651632687982059210933395"),
		s:  dec(t, "574973400270084654178925310019147038455227042649098563933718999175515839552"),
	}.check(t)
}

// The named curves: base point on the curve, of order q.
func TestCurves(t *testing.T) {
	t.Parallel()
	for _, c := range []*curve{curveTC26512A, curveCryptoProA} {
		if !c.isOnCurve(c.x, c.y) {
			t.Errorf("%s: base point not on the curve", c.name)
		}
		if !c.q.ProbablyPrime(20) || !c.p.ProbablyPrime(20) {
			t.Errorf("%s: p or q not prime", c.name)
		}
		// (q-1)·G = -G: same x, y = p - y.
		qm1 := new(big.Int).Sub(c.q, big.NewInt(1))
		pt := c.doubleScalarMultVartime(qm1, new(big.Int), c.x, c.y)
		x, y, ok := c.toAffine(&pt)
		if !ok || x.Cmp(c.x) != 0 || new(big.Int).Add(y, c.y).Cmp(c.p) != 0 {
			t.Errorf("%s: (q-1)·G is not -G", c.name)
		}
		// q·G is the neutral element, by either multiplication.
		if pt := c.doubleScalarMultVartime(c.q, new(big.Int), c.x, c.y); isAffine(c, &pt) {
			t.Errorf("%s: q·G is not the neutral element", c.name)
		}
		if c.isOnCurve(c.x, new(big.Int).Add(c.y, big.NewInt(1))) || c.isOnCurve(c.p, c.y) || c.isOnCurve(big.NewInt(-1), c.y) {
			t.Errorf("%s: isOnCurve accepts a wrong point", c.name)
		}
	}
	if curveTC26512A.p.Cmp(new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 512), big.NewInt(569))) != 0 {
		t.Error("tc26 512 A: p is not 2^512 - 569")
	}
	if curveCryptoProA.p.Cmp(new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(617))) != 0 {
		t.Error("CryptoPro-A: p is not 2^256 - 617")
	}
}

// The ladder agrees with the plain double-and-add for random scalars and
// small edge cases.
func TestScalarMultAgrees(t *testing.T) {
	t.Parallel()
	for _, c := range []*curve{curveCryptoProA, curveTC26512A} {
		k, _ := randomScalar(rand.Reader, c.q)
		ks := []*big.Int{big.NewInt(1), big.NewInt(2), new(big.Int).Sub(c.q, big.NewInt(1)), k}
		for _, k := range ks {
			p, err := c.scalarMult(k, c.x, c.y, rand.Reader)
			if err != nil {
				t.Fatal(err)
			}
			x1, y1, _ := c.toAffine(&p)
			pt := c.doubleScalarMultVartime(k, new(big.Int), c.x, c.y)
			x2, y2, _ := c.toAffine(&pt)
			if x1.Cmp(x2) != 0 || y1.Cmp(y2) != 0 {
				t.Fatalf("%s: k = %v: the ladder and double-and-add disagree", c.name, k)
			}
		}
		// 0·G is the neutral element.
		p, _ := c.scalarMult(new(big.Int), c.x, c.y, nil)
		if isAffine(c, &p) {
			t.Errorf("%s: 0·G is not the neutral element", c.name)
		}
	}
}

// The public key derived from each NCA test key's private key equals its
// certificate's, with the byte orders documented: the GOST 2015 scalar
// little-endian in an OCTET STRING, the GOST 2004 scalar an INTEGER.
// The other byte order would not match.
func TestNCAKeysMatchCertificates(t *testing.T) {
	t.Parallel()
	files := []string{gost2004P12}
	for _, n := range gost2015Keys {
		files = append(files, "testdata/"+n+".p12")
	}
	for _, f := range files {
		key, cert, raw := readKey(t, f)
		pub, err := CertificatePublicKey(cert)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if !pub.Equal(&key.PublicKey) || !pub.Equal(key.Public()) {
			t.Errorf("%s: the derived public key is not the certificate's", f)
		}
		wantAlg := GOST2015_512
		if f == gost2004P12 {
			wantAlg = GOST2004
		}
		if key.Algorithm != wantAlg {
			t.Errorf("%s: algorithm %v", f, key.Algorithm)
		}
		// The certificate's key bytes are LE(X) || LE(Y).
		var spki struct {
			Algorithm asn1.RawValue
			PublicKey asn1.BitString
		}
		if _, err := asn1.Unmarshal(cert.RawSubjectPublicKeyInfo, &spki); err != nil {
			t.Fatal(err)
		}
		var point []byte
		if _, err := asn1.Unmarshal(spki.PublicKey.Bytes, &point); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(point, pub.Bytes()) {
			t.Errorf("%s: Bytes() is not the certificate's encoding", f)
		}
		// The other byte order of the scalar gives another key.
		var info struct {
			Version    int
			Algorithm  asn1.RawValue
			PrivateKey []byte
		}
		if _, err := asn1.Unmarshal(raw.PKCS8, &info); err != nil {
			t.Fatal(err)
		}
		var inner asn1.RawValue
		if _, err := asn1.Unmarshal(info.PrivateKey, &inner); err != nil {
			t.Fatal(err)
		}
		other := inner.Bytes // as read: big-endian for the OCTET STRING form
		if inner.Tag == asn1.TagInteger {
			other = reverse(inner.Bytes)
		}
		wrong, err := NewPrivateKey(key.Algorithm, bytes.TrimLeft(other, "\x00"))
		if err == nil && wrong.PublicKey.Equal(pub) {
			t.Errorf("%s: the scalar read in the other byte order gives the same key", f)
		}
		// Equal keys.
		again := &PrivateKey{PublicKey: key.PublicKey, d: new(big.Int).Set(key.d)}
		if !key.Equal(again) || key.Equal(wrong) || key.Equal(nil) {
			t.Errorf("%s: PrivateKey.Equal", f)
		}
	}
}

// Signatures made here verify here, through crypto.Signer too; changed
// ones do not.
func TestSignVerifyRoundTrip(t *testing.T) {
	t.Parallel()
	for _, alg := range []Algorithm{GOST2004, GOST2015_512} {
		key, err := GenerateKey(alg, rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		msg := []byte("RHsERLWAVUFFWJLEXQTNAVHFMMACTT")
		sig, err := key.SignMessage(rand.Reader, msg)
		if err != nil {
			t.Fatal(err)
		}
		if len(sig) != 2*alg.Size() {
			t.Fatalf("%v: %d-byte signature", alg, len(sig))
		}
		if !key.PublicKey.VerifyMessage(msg, sig) {
			t.Fatalf("%v: the signature does not verify", alg)
		}
		h := alg.NewHash()
		h.Write(msg)
		var signer crypto.Signer = key
		sig2, err := signer.Sign(rand.Reader, h.Sum(nil), nil)
		if err != nil || !key.PublicKey.VerifyDigest(h.Sum(nil), sig2) {
			t.Fatalf("%v: crypto.Signer: %v", alg, err)
		}
		if bytes.Equal(sig, sig2) {
			t.Errorf("%v: two signatures with the same nonce", alg)
		}
		for _, i := range []int{0, len(sig) / 2, len(sig) - 1} {
			bad := bytes.Clone(sig)
			bad[i] ^= 1
			if key.PublicKey.VerifyMessage(msg, bad) {
				t.Errorf("%v: a changed signature verifies", alg)
			}
		}
		if key.PublicKey.VerifyMessage([]byte("other"), sig) || key.PublicKey.VerifyDigest(h.Sum(nil), sig[1:]) {
			t.Errorf("%v: a signature verifies for another message or length", alg)
		}
		if _, err := key.Sign(rand.Reader, []byte("short"), nil); err == nil {
			t.Errorf("%v: a wrong-length digest is signed", alg)
		}
		if _, err := key.Sign(nil, h.Sum(nil), nil); err == nil {
			t.Errorf("%v: signed without a random source", alg)
		}
		if _, err := key.Sign(bytes.NewReader(nil), h.Sum(nil), nil); err == nil {
			t.Errorf("%v: signed with an exhausted random source", alg)
		}
	}
}

// A digest that is 0 modulo q signs and verifies with e = 1, as the
// standard says.
func TestZeroDigest(t *testing.T) {
	t.Parallel()
	key, err := GenerateKey(GOST2004, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	zero := make([]byte, 32)
	sig, err := key.Sign(rand.Reader, zero, nil)
	if err != nil || !key.PublicKey.VerifyDigest(zero, sig) {
		t.Fatal(err)
	}
	q := reverse(curveCryptoProA.q.FillBytes(make([]byte, 32))) // q itself, little-endian: e = 0 too
	if !key.PublicKey.VerifyDigest(q, sig) {
		t.Fatal("digest q is not treated as e = 1")
	}
}

func TestKeyErrors(t *testing.T) {
	if _, err := NewPrivateKey(Algorithm(9), []byte{1}); err == nil {
		t.Error("unknown algorithm accepted")
	}
	if _, err := GenerateKey(Algorithm(0), rand.Reader); err == nil {
		t.Error("unknown algorithm accepted")
	}
	if _, err := GenerateKey(GOST2004, bytes.NewReader(nil)); err == nil {
		t.Error("no randomness accepted")
	}
	if _, err := NewPrivateKey(GOST2004, make([]byte, 33)); err == nil {
		t.Error("33-byte scalar accepted")
	}
	if _, err := NewPrivateKey(GOST2004, []byte{0}); err == nil {
		t.Error("zero scalar accepted")
	}
	if _, err := NewPrivateKey(GOST2004, curveCryptoProA.q.Bytes()); err == nil {
		t.Error("scalar q accepted")
	}
	if _, err := NewPublicKey(GOST2004, big.NewInt(1), big.NewInt(1)); err == nil {
		t.Error("point off the curve accepted")
	}
	if _, err := NewPublicKey(Algorithm(3), big.NewInt(1), big.NewInt(1)); err == nil {
		t.Error("unknown algorithm accepted")
	}
	if _, err := NewPublicKey(GOST2004, nil, nil); err == nil {
		t.Error("nil point accepted")
	}
	if _, err := publicKeyFromBytes(GOST2004, make([]byte, 63)); err == nil {
		t.Error("63-byte point accepted")
	}
	pub := &PublicKey{Algorithm: Algorithm(7)}
	if pub.VerifyDigest(nil, nil) || pub.VerifyMessage(nil, nil) {
		t.Error("a key of no algorithm verifies")
	}
	if pub.Equal(nil) {
		t.Error("Equal(nil)")
	}
}

func TestAlgorithm(t *testing.T) {
	for _, tc := range []struct {
		a          Algorithm
		name       string
		size, hash int
	}{
		{GOST2004, "GOST 34.310-2004", 32, 32},
		{GOST2015_512, "GOST 34.310-2015 512-bit", 64, 64},
	} {
		if tc.a.String() != tc.name || tc.a.Size() != tc.size || tc.a.NewHash().Size() != tc.hash {
			t.Errorf("%v: %q %d %d", tc.a, tc.a.String(), tc.a.Size(), tc.a.NewHash().Size())
		}
	}
	if Algorithm(5).String() != "gost.Algorithm(5)" {
		t.Error(Algorithm(5).String())
	}
}

func isAffine(c *curve, p *point) bool {
	_, _, ok := c.toAffine(p)
	return ok
}
