package trueapitest_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/steppe-sdk/steppe/trueapi/signing"
	"github.com/steppe-sdk/steppe/trueapi/trueapitest"
)

// Example signs in with an NCA test key and asks about codes with plain
// net/http. The key's BIN owns nothing in the data set, so its token is
// the default owner's.
func Example() {
	srv := trueapitest.NewServerWith(trueapitest.Config{Codes: 100})
	defer srv.Close()

	var token string
	call := func(method, route string, in, out any) (int, string) {
		var body bytes.Buffer
		if in != nil {
			_ = json.NewEncoder(&body).Encode(in)
		}
		req, _ := http.NewRequestWithContext(context.Background(), method, srv.BaseURL()+route, &body)
		req.Header.Set("Accept", "application/json")
		if in != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			fmt.Println(err)
			return 0, ""
		}
		defer resp.Body.Close()
		if out != nil {
			_ = json.NewDecoder(resp.Body).Decode(out)
		}
		return resp.StatusCode, resp.Header.Get("Content-Type")
	}

	// A-1 and A-2: sign the challenge's data, attached, and swap it for a
	// token.
	signer, err := signing.LoadPKCS12File("../signing/testdata/AUTH_RSA256_b2c70a9ff7a5dc59de0ccc3c0ddde3437cc1f12d.p12", "Qwerty12", signing.PurposeAuth)
	if err != nil {
		fmt.Println(err)
		return
	}
	var challenge struct{ UUID, Data string }
	call(http.MethodGet, "auth/key", nil, &challenge)
	cms, err := signer.SignCMS(context.Background(), []byte(challenge.Data), signing.SignOptions{Purpose: signing.PurposeAuth})
	if err != nil {
		fmt.Println(err)
		return
	}
	var signedIn struct{ Token string }
	status, _ := call(http.MethodPost, "auth/simpleSignIn", map[string]string{
		"uuid": challenge.UUID, "data": base64.StdEncoding.EncodeToString(cms),
	}, &signedIn)
	token = signedIn.Token
	fmt.Println(status, strings.HasPrefix(token, "eyJ"))

	// K-5: a tobacco block of the owner and a code of another owner; the
	// latter is left out.
	var block trueapitest.Code
	for _, c := range srv.OwnCodes() {
		if c.PackageType == trueapitest.PackageLevel1 && c.ProductGroup == "tobacco" {
			block = c
			break
		}
	}
	var infos []struct {
		CisInfo struct {
			PackageType  string   `json:"packageType"`
			ProductGroup string   `json:"productGroup"`
			OwnerBin     string   `json:"ownerBin"`
			Child        []string `json:"child"`
		} `json:"cisInfo"`
	}
	status, _ = call(http.MethodPost, "cises/info", []string{block.Cis, srv.ForeignCodes()[0].Cis}, &infos)
	info := infos[0].CisInfo
	fmt.Println(status, len(infos), info.PackageType, info.ProductGroup, info.OwnerBin, len(info.Child))

	// An expired token gets the XML 401.
	srv.ExpireTokens()
	status, ctype := call(http.MethodGet, "product/gtin?pg=tobacco", nil, nil)
	fmt.Println(status, ctype)
	fmt.Println("sign-ins:", srv.Stats().SignIns)
	// Output:
	// 200 true
	// 200 1 LEVEL1 tobacco 000740001307 10
	// 401 application/xml
	// sign-ins: 1
}
