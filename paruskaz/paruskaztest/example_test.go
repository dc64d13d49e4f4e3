package paruskaztest_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/steppe-sdk/steppe/paruskaz/paruskaztest"
)

// Example uploads one turnstile pass with plain net/http, sends it again
// (it is stored once), and checks what the fake stored.
func Example() {
	srv := paruskaztest.NewServer()
	defer srv.Close()

	body := `{"source":"Query","code":"InsertACS","param":{"data":[{
		"bin":"980400001234","org_name":"Школа № 1","person":[{
			"datetime":"2024-01-13T10:01:23+05:00","iin":"900101300017",
			"fio":"Иванов Иван Иванович","note":"Корпус 1"}]}]}}`
	for range 2 {
		req, err := http.NewRequest(http.MethodPost, srv.BaseURL()+"data_set", strings.NewReader(body))
		if err != nil {
			fmt.Println(err)
			return
		}
		req.Header.Set("X-API-KEY", paruskaztest.DefaultAPIKey)
		req.Header.Set("Content-Type", "application/json")
		resp, err := srv.Client().Do(req)
		if err != nil {
			fmt.Println(err)
			return
		}
		answer, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Print(resp.StatusCode, " ", string(answer))
	}

	fmt.Println("stored:", srv.Count(), "duplicates:", srv.Stats().Duplicates)
	fmt.Println(srv.Has(paruskaztest.Event{
		BIN: "980400001234", OrgName: "Школа № 1", DateTime: "2024-01-13T10:01:23+05:00",
		IIN: "900101300017", FIO: "Иванов Иван Иванович", Note: "Корпус 1",
	}))
	// Output:
	// 200 {"message":"OK"}
	// 200 {"message":"OK"}
	// stored: 1 duplicates: 1
	// true
}

// ExampleServer_Handler calls the fake in-process, without a socket, and
// reads why it refused a request.
func ExampleServer_Handler() {
	srv := paruskaztest.NewServer()
	defer srv.Close()

	body := `{"source":"Query","code":"InsertACS","param":{"data":[{"bin":"980400001234","org_name":"Школа № 1",
		"person":[{"datetime":"2024-01-13T10:01:23","iin":"900101300017","fio":"Иванов Иван Иванович","note":""}]}]}}`
	req := httptest.NewRequest(http.MethodPost, paruskaztest.DataSetPath, strings.NewReader(body))
	req.Header.Set("X-API-KEY", paruskaztest.DefaultAPIKey)
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, req)

	fmt.Print(rec.Code, " ", rec.Body.String())
	fmt.Println(rec.Header().Get(paruskaztest.ReasonHeader))
	// Output:
	// 400 {"message":"Ошибка передачи параметров"}
	// param.data[0].person[0].datetime: must be RFC 3339 with a time-zone offset, got "2024-01-13T10:01:23"
}

// ExampleInternalErrorFault makes the fake answer the document's 500 once.
func ExampleInternalErrorFault() {
	srv := paruskaztest.NewServer()
	defer srv.Close()
	srv.Faults.Add(paruskaztest.InternalErrorFault())

	resp, err := srv.Client().Post(srv.BaseURL()+"data_set", "application/json", strings.NewReader("{}"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode, string(answer))
	// Output:
	// 500 {"message":"Втнутренняя ошибка сервера"}
}
