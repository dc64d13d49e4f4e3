package trueapi_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/fakekit"
	"github.com/steppe-sdk/steppe/trueapi"
	"github.com/steppe-sdk/steppe/trueapi/signing"
	"github.com/steppe-sdk/steppe/trueapi/trueapitest"
)

// ncaAuthKey is an NCA RSA test key (password Qwerty12) with an
// authentication certificate.
const ncaAuthKey = "signing/testdata/AUTH_RSA256_b2c70a9ff7a5dc59de0ccc3c0ddde3437cc1f12d.p12"

func ncaSigner(t testing.TB) signing.Signer {
	t.Helper()
	s, err := signing.LoadPKCS12File(ncaAuthKey, "Qwerty12", signing.PurposeAuth)
	require.NoError(t, err)
	return s
}

// fakeClient starts a fake with cfg and a client signed in to it with the
// NCA test key.
func fakeClient(t *testing.T, cfg trueapitest.Config, opts ...trueapi.Option) (*trueapi.Client, *trueapitest.Server) {
	t.Helper()
	srv := trueapitest.NewServerWith(cfg)
	t.Cleanup(srv.Close)
	c, err := trueapi.New(ncaSigner(t), append([]trueapi.Option{trueapi.WithBaseURL(srv.BaseURL()),
		trueapi.WithRetryWait(time.Millisecond, 5*time.Millisecond)}, opts...)...)
	require.NoError(t, err)
	return c, srv
}

func cisesOf(codes []trueapitest.Code) []string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = c.Cis
	}
	return out
}

// The must-show: sign-in against the fake with a key loaded from an NCA
// RSA test file; the fake verifies the CMS for real.
func TestFakeSignInWithNCAKey(t *testing.T) {
	c, srv := fakeClient(t, trueapitest.DefaultConfig())
	ctx := context.Background()
	tok, err := c.Token(ctx)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(tok, "eyJ"))
	assert.Equal(t, 1, srv.Stats().SignIns)

	// The token expires: the XML 401 makes the client sign in once more
	// and replay the call, and the token appears in no error.
	srv.ExpireTokens()
	own := srv.OwnCodes()[0]
	recs, err := c.CisHistory(ctx, own.Cis)
	require.NoError(t, err)
	assert.NotEmpty(t, recs)
	assert.Equal(t, 2, srv.Stats().SignIns)
	assert.Equal(t, 1, srv.Stats().TokenErrors)

	srv.ExpireTokens()
	srv.Faults.Add(trueapitest.Fault{Path: trueapitest.APIPath + "auth/simpleSignIn", Status: 500, Body: `{"error_message":"boom"}`, Times: -1})
	_, err = c.CisHistory(ctx, own.Cis)
	require.ErrorIs(t, err, trueapi.ErrUnauthorized)
	require.ErrorIs(t, err, trueapi.ErrServer, "the failed sign-in is joined to the 401")
	assert.NotContains(t, err.Error(), tok)
	var e *trueapi.Error
	require.ErrorAs(t, err, &e)
	assert.NotContains(t, string(e.Body), tok, "the echoed token is redacted from the kept body")
}

// A token that expires with time, inside a synctest bubble: the fake's
// TokenTTL passes and the next call signs in again.
func TestFakeTokenTTL(t *testing.T) {
	cfg := trueapitest.DefaultConfig()
	cfg.TokenTTL = time.Hour
	srv := trueapitest.NewServerWith(cfg) // outside the bubble: it listens on a socket
	defer srv.Close()
	signer := ncaSigner(t)
	own := srv.OwnCodes()[0].Cis
	synctest.Test(t, func(t *testing.T) {
		hc := &http.Client{Transport: &fakekit.HandlerTransport{Handler: srv.Handler()}}
		c, err := trueapi.New(signer, trueapi.WithBaseURL(srv.BaseURL()), trueapi.WithHTTPClient(hc))
		require.NoError(t, err)
		_, err = c.CisesInfo(context.Background(), []string{own})
		require.NoError(t, err)
		first := srv.Stats().SignIns
		time.Sleep(59 * time.Minute)
		_, err = c.CisesInfo(context.Background(), []string{own})
		require.NoError(t, err)
		assert.Equal(t, first, srv.Stats().SignIns, "the token still lives")
		time.Sleep(2 * time.Minute)
		_, err = c.CisesInfo(context.Background(), []string{own})
		require.NoError(t, err)
		assert.Equal(t, first+1, srv.Stats().SignIns, "one sign-in after the TTL")
	})
}

func TestFakeCisesInfoAndList(t *testing.T) {
	c, srv := fakeClient(t, trueapitest.DefaultConfig())
	ctx := context.Background()
	own, foreign := srv.OwnCodes(), srv.ForeignCodes()
	require.Greater(t, len(own), 2000)

	// Own and foreign codes mixed: the foreign ones are left out, the own
	// ones come back in the caller's order over several batches.
	var codes, want []string
	for i, code := range own {
		codes = append(codes, code.Cis)
		want = append(want, code.Cis)
		if i%10 == 0 && i/10 < len(foreign) {
			codes = append(codes, foreign[i/10].Cis)
		}
	}
	res, err := c.CisesInfo(ctx, codes)
	require.NoError(t, err)
	got := make([]string, len(res))
	for i, r := range res {
		require.NotNil(t, r.Info)
		got[i] = r.Info.Cis
	}
	assert.Equal(t, want, got)
	assert.Equal(t, (len(codes)+999)/1000, srv.Stats().Requests["POST cises/info"])
	assert.Equal(t, own[0].GTIN, res[0].Info.GTIN)
	assert.Equal(t, own[0].Status, res[0].Info.Status)

	list, err := c.CisesList(ctx, codes[:50])
	require.NoError(t, err)
	var wantList []string
	for _, code := range codes[:50] {
		if !slices.Contains(cisesOf(foreign), code) {
			wantList = append(wantList, code)
		}
	}
	assert.Len(t, list, len(wantList))
	for _, info := range list {
		assert.NotZero(t, info.ProductGroupID, "productGroupId sent as a string")
	}

	res, err = c.CisesInfo(ctx, cisesOf(foreign[:5]))
	require.NoError(t, err)
	assert.Empty(t, res, "codes of other owners: an empty answer")
}

func TestFakeSpecialCharactersRoundTrip(t *testing.T) {
	c, srv := fakeClient(t, trueapitest.DefaultConfig())
	ctx := context.Background()
	var hard trueapitest.Code
	for _, code := range srv.OwnCodes() {
		if strings.ContainsAny(code.Cis, `+%&"(),`) && code.PackageType == "UNIT" {
			hard = code
			break
		}
	}
	require.NotEmpty(t, hard.Cis, "the data set has codes with special characters")
	recs, err := c.CisHistory(ctx, hard.Cis)
	require.NoError(t, err)
	require.NotEmpty(t, recs)
	assert.Equal(t, hard.Cis, recs[0].Cis)
	list, err := c.CisesList(ctx, []string{hard.Cis})
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, hard.Cis, list[0].Cis)
	prod, err := c.ProductInfo(ctx, hard.Cis)
	require.NoError(t, err)
	assert.Equal(t, hard.GTIN, prod.GTIN)

	recs, err = c.CisHistory(ctx, srv.ForeignCodes()[0].Cis)
	require.NoError(t, err)
	assert.Empty(t, recs, "the history of another owner's code is empty")
}

func TestFakeAggregates(t *testing.T) {
	c, srv := fakeClient(t, trueapitest.DefaultConfig())
	ctx := context.Background()
	var block trueapitest.Code
	for _, code := range srv.OwnCodes() {
		if code.PackageType == "LEVEL1" && len(code.Children) > 0 {
			block = code
			break
		}
	}
	require.NotEmpty(t, block.Cis)

	units, err := c.CisesUnitsCount(ctx, []string{block.Cis})
	require.NoError(t, err)
	assert.Equal(t, int64(len(block.Children)), units.Cises[block.Cis])

	agg, err := c.AggregatedList(ctx, trueapi.AggregatedQuery{ProductGroup: trueapi.ProductGroup(block.ProductGroup), Codes: []string{block.Cis}})
	require.NoError(t, err)
	require.Len(t, agg, 1)
	for _, children := range agg {
		assert.Len(t, children, len(block.Children))
	}
	agg, err = c.AggregatedListByQuery(ctx, trueapi.AggregatedQuery{ProductGroup: trueapi.ProductGroup(block.ProductGroup), Codes: []string{block.Cis}})
	require.NoError(t, err)
	assert.Len(t, agg, 1)

	_, err = c.AggregatedList(ctx, trueapi.AggregatedQuery{ProductGroup: "tobacco", Codes: []string{srv.ForeignCodes()[0].Cis}})
	require.ErrorIs(t, err, trueapi.ErrNotFound, "nothing of the participant's: 404")
}

// TestFakeMyCises runs in a synctest bubble, where the fake's OrderDelay
// runs on the bubble's clock: the first status poll lands before the order
// is ready however busy the machine is.
func TestFakeMyCises(t *testing.T) {
	for _, format := range []string{trueapitest.FormatJSON, trueapitest.FormatCSV} {
		t.Run(format, func(t *testing.T) {
			cfg := trueapitest.DefaultConfig()
			cfg.OrderDelay = 100 * time.Millisecond
			cfg.OrderFormat = format
			srv := trueapitest.NewServerWith(cfg) // outside the bubble
			defer srv.Close()
			signer := ncaSigner(t)
			var gtin string
			for _, code := range srv.OwnCodes() {
				if code.PackageType == "UNIT" {
					gtin = code.GTIN
					break
				}
			}
			var want []string
			for _, code := range srv.OwnCodes() {
				if code.PackageType == "UNIT" && code.GTIN == gtin {
					want = append(want, code.Cis)
				}
			}
			require.NotEmpty(t, want)
			synctest.Test(t, func(t *testing.T) {
				c := bubbleClient(t, srv, signer)
				ctx := context.Background()
				var seen []string
				start := time.Now()
				recs, err := c.MyCises(ctx, trueapi.CisesOrder{GTIN: gtin, PackageType: trueapi.PackageUnit},
					trueapi.WithPollInterval(10*time.Millisecond, 20*time.Millisecond), trueapi.WithProgress(func(s string) { seen = append(seen, s) }))
				require.NoError(t, err)
				assert.ElementsMatch(t, want, cisesOfOrdered(recs))
				assert.Equal(t, "SUCCESS", seen[len(seen)-1])
				assert.Greater(t, len(seen), 1, "polled until ready")
				assert.GreaterOrEqual(t, time.Since(start), cfg.OrderDelay, "ready only after OrderDelay on the bubble's clock")
				assert.Equal(t, 0, srv.Stats().ResultContentType, "no Content-Type on the result GET")

				srv.FailNextOrder(trueapitest.OrderError)
				_, err = c.MyCises(ctx, trueapi.CisesOrder{GTIN: gtin}, trueapi.WithPollInterval(10*time.Millisecond, 0))
				require.ErrorIs(t, err, trueapi.ErrOrderFailed)
			})
		})
	}
}

func cisesOfOrdered(recs []trueapi.OrderedCis) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = r.Cis
	}
	return out
}

func TestFakeListV2WalksEverything(t *testing.T) {
	c, srv := fakeClient(t, trueapitest.DefaultConfig())
	ctx := context.Background()
	seen := map[string]bool{}
	for rec, err := range c.CisesListV2(ctx, trueapi.ListFilter{Limit: 250}) {
		require.NoError(t, err)
		require.False(t, seen[rec.Cis], "no duplicates across pages: %s", rec.Cis)
		seen[rec.Cis] = true
	}
	assert.ElementsMatch(t, cisesOf(srv.OwnCodes()), keys(seen), "every visible code once, despite repeated emission dates")

	p, err := c.CisesListV2Page(ctx, trueapi.ListFilter{Limit: 10, Order: trueapi.SortDesc}, trueapi.ListCursor{})
	require.NoError(t, err)
	assert.Equal(t, len(srv.OwnCodes()), p.Total)
	require.Len(t, p.Results, 10)
	next, err := c.CisesListV2Page(ctx, trueapi.ListFilter{Limit: 10, Order: trueapi.SortDesc}, p.Next)
	require.NoError(t, err)
	back, err := c.CisesListV2Page(ctx, trueapi.ListFilter{Limit: 10, Order: trueapi.SortDesc}, next.Prev)
	require.NoError(t, err)
	assert.Equal(t, p.Results, back.Results, "PREV from the second page is the first page")

	gtin := srv.OwnCodes()[0].GTIN
	n := 0
	for rec, err := range c.ProductsListV2(ctx, trueapi.ListFilter{GTIN: gtin, Limit: 7}) {
		require.NoError(t, err)
		assert.Equal(t, gtin, rec.GTIN)
		n++
	}
	assert.Positive(t, n)

	_, err = c.CisesListV2Page(ctx, trueapi.ListFilter{Limit: trueapi.MaxListLimit + 1}, trueapi.ListCursor{})
	require.ErrorIs(t, err, trueapi.ErrValidation)
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestFakeProducts(t *testing.T) {
	c, srv := fakeClient(t, trueapitest.DefaultConfig())
	ctx := context.Background()
	groups := map[string]bool{}
	for _, code := range srv.OwnCodes() {
		groups[code.ProductGroup] = true
	}
	var all []string
	for g := range groups {
		for gtin, err := range c.GTINs(ctx, trueapi.ProductGroup(g), 3) {
			require.NoError(t, err)
			all = append(all, gtin)
		}
	}
	assert.ElementsMatch(t, srv.GTINs(srv.Owner()), all, "every GTIN of every group, pages of 3 from page 0")

	_, err := c.GTINsPage(ctx, "shoe", 0, 10)
	var e *trueapi.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "Could not determine product group by name 'shoe'", e.Message)

	routes, err := c.GTINProductGroups(ctx, []string{all[0], "000000432183564"})
	require.NoError(t, err)
	require.Len(t, routes, 2)
	assert.NotEmpty(t, routes[0].ProductGroup)
	assert.NotZero(t, routes[0].ProductGroupID)
	assert.Equal(t, "404", routes[1].ErrorCode, "an in-band error with HTTP 200")

	_, err = c.ProductInfo(ctx, "010000000000000021nosuchcode")
	require.ErrorIs(t, err, trueapi.ErrNotFound)
}

// Faults the fake injects are retried (safe calls) or typed.
func TestFakeFaults(t *testing.T) {
	c, srv := fakeClient(t, trueapitest.DefaultConfig())
	ctx := context.Background()
	own := cisesOf(srv.OwnCodes()[:3])
	srv.Faults.Add(
		trueapitest.Fault{Path: trueapitest.APIPath + "cises/info", Status: 503, RetryAfter: time.Millisecond},
		trueapitest.Fault{Path: trueapitest.APIPath + "cises/info", Drop: true, Times: 2},
	)
	res, err := c.CisesInfo(ctx, own)
	require.NoError(t, err, "a read-only POST is retried like a GET")
	assert.Len(t, res, 3)

	srv.Faults.Add(trueapitest.Fault{Path: trueapitest.APIPath + "cises/history", Status: 500, Times: -1})
	_, err = c.CisHistory(ctx, own[0])
	require.ErrorIs(t, err, trueapi.ErrServer)
	srv.Faults.Clear()

	srv.Faults.Add(trueapitest.Fault{Path: trueapitest.APIPath + "cises/history", Truncate: true, Times: -1})
	_, err = c.CisHistory(ctx, own[0])
	require.Error(t, err)
	assert.True(t, errors.Is(err, trueapi.ErrTransport), fmt.Sprint(err))
	srv.Faults.Clear()
}

// Sign-in with NCA GOST test keys (GOST 34.310-2015 512-bit and
// 34.310-2004) through the pure-Go GOST signer LoadPKCS12 picks; the fake
// verifies the GOST CMS for real.
func TestFakeSignInWithGOSTKeys(t *testing.T) {
	for _, file := range []string{"signing/testdata/gost1.p12", "signing/testdata/GOSTKNCA_13a3741b52d7bf860aab199b56fad1f4652e357b.p12"} {
		t.Run(file, func(t *testing.T) {
			signer, err := signing.LoadPKCS12File(file, "Qwerty12", signing.PurposeAuth)
			require.NoError(t, err)
			_, isGOST := signer.(*signing.GOSTSigner)
			require.True(t, isGOST, "a GOST key file gives the GOST signer")
			srv := trueapitest.NewServer()
			defer srv.Close()
			c, err := trueapi.New(signer, trueapi.WithBaseURL(srv.BaseURL()))
			require.NoError(t, err)
			res, err := c.CisesInfo(context.Background(), cisesOf(srv.OwnCodes()[:2]))
			require.NoError(t, err)
			assert.Len(t, res, 2)
			assert.Equal(t, 1, srv.Stats().SignIns)
		})
	}
}
