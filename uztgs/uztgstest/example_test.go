package uztgstest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/steppe-sdk/steppe/uztgs/uztgstest"
)

// Example signs in to the fake with plain net/http and fetches one page of
// stations with the session's headers.
func Example() {
	srv := uztgstest.NewServer()
	defer srv.Close()

	body := strings.NewReader(`{"email":"api@local.net","password":"Str0ngPas$"}`)
	resp, err := srv.Client().Post(srv.BaseURL()+"auth/sign_in", "application/json", body)
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	token, client, uid := resp.Header.Get("access-token"), resp.Header.Get("client"), resp.Header.Get("uid")
	fmt.Println("sign-in:", resp.StatusCode, "token of", len(token), "characters for", uid)

	req, err := http.NewRequest(http.MethodGet, srv.BaseURL()+"stations?page=2&per_page=2", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	req.Header.Set("access-token", token)
	req.Header.Set("token-type", "Bearer")
	req.Header.Set("client", client)
	req.Header.Set("uid", uid)
	resp, err = srv.Client().Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	var page struct {
		Data        []uztgstest.Station `json:"data"`
		TotalPages  int                 `json:"total_pages"`
		CurrentPage int                 `json:"current_page"`
		NextPage    *int                `json:"next_page"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&page); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("stations:", resp.StatusCode, "page", page.CurrentPage, "of", page.TotalPages, "next", *page.NextPage)
	for _, st := range page.Data {
		fmt.Println(st.ID, st.EquipmentBrandName, st.EquipmentID)
	}
	// Within 5 s of the sign-in the answer is a batch answer: its token is
	// blank, and the client keeps the one it has.
	fmt.Printf("new token: %q\n", resp.Header.Get("access-token"))
	// Output:
	// sign-in: 200 token of 22 characters for api@local.net
	// stations: 200 page 2 of 29 next 3
	// 14 Флоугаз 43
	// 15 БК 53
	// new token: ""
}
