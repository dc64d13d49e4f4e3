package openschooltest

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/testkit"
)

func getRaw(t *testing.T, s *Server, query string) map[string]any {
	t.Helper()
	resp, b := testkit.Send(t, http.DefaultClient, testkit.NewRequest(t, http.MethodGet, s.URL+"/api/v1?"+query, ""))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var v map[string]any
	require.NoError(t, json.Unmarshal(b, &v))
	return v
}

// TestPerlWireHabits checks that the fake speaks like the documentation's
// Perl back end: ids and money as strings, computed sums as numbers, undef
// as null, capitalised task keys.
func TestPerlWireHabits(t *testing.T) {
	s := NewServer()
	defer s.Close()

	schools := getRaw(t, s, "action=schools&id_school=61")
	assert.Equal(t, "254141.04", schools["schools_stock"])
	school := schools["schools"].([]any)[0].(map[string]any)
	assert.Equal(t, "61", school["id_school"])
	assert.Equal(t, "73196.3900", school["balance"], "DECIMAL(…,4) as a string")
	assert.Equal(t, "15000", school["amount"])
	other := getRaw(t, s, "action=schools&id_school=17")["schools"].([]any)[0].(map[string]any)
	assert.Nil(t, other["amount"], "undef when there are no new tasks")

	periods := getRaw(t, s, "action=periods")["periods"].([]any)
	assert.Nil(t, periods[0].(map[string]any)["current_period"])
	assert.Nil(t, periods[0].(map[string]any)["parent"])
	assert.Equal(t, "1", periods[1].(map[string]any)["current_period"])

	task := getRaw(t, s, "action=tasks&id_task=794")["task"].(map[string]any)
	assert.Equal(t, "794", task["Id_task"])
	assert.Equal(t, float64(0), task["Government_spend"], "computed: a number")
	assert.Nil(t, task["parent_task"])
	report := task["reports"].([]any)[0].(map[string]any)
	assert.Equal(t, "992", report["Spend"])
	assert.Equal(t, "0", report["Government"])

	list := getRaw(t, s, "action=tasks&node=school&item=67&task_status=done&id_label=3")["tasks"].([]any)
	require.Len(t, list, 1)
	row := list[0].(map[string]any)
	assert.Equal(t, "796", row["Id_task"])
	assert.Equal(t, float64(458), row["Spend"])
	assert.Equal(t, float64(1), row["Report_count"])
	assert.Equal(t, "0", row["Vote_count"])

	assert.Nil(t, getRaw(t, s, "action=tasks&id_task=1")["task"])
	payment := getRaw(t, s, "action=governmentpayments&id_payment=299")["block"].([]any)[0].(map[string]any)
	assert.Equal(t, "17185.1", payment["amount"])
	assert.Equal(t, "02146713", payment["bookkeeping"].(map[string]any)["edrpou"])
	assert.Equal(t, "Продукти та послуги з харчування", payment["label"])

	assert.Len(t, s.Requests(), 7)
}

func TestUnknownReferencesGiveEmptyNames(t *testing.T) {
	d := DefaultDataset()
	d.Schools = append(d.Schools, School{ID: "5", RegionID: "999"})
	d.Tasks = append(d.Tasks, Task{ID: "7", Node: "school", Item: "5", Status: "todo", Amount: "1", LabelID: "999"})
	s := NewServerWith(d)
	defer s.Close()
	school := getRaw(t, s, "action=schools&id_school=5")["schools"].([]any)[0].(map[string]any)
	assert.Equal(t, "", school["region"])
	row := getRaw(t, s, "action=tasks&node=school&item=5")["tasks"].([]any)[0].(map[string]any)
	assert.Equal(t, "", row["Label"])
	assert.Equal(t, float64(0), row["Vote"])
}

// The fake's refusals: wrong path, method, action and parameters, each
// with its status and an error body; labels answers the documented list.
func TestFakeRefusals(t *testing.T) {
	s := NewServer()
	defer s.Close()
	status := func(method, target string) (int, map[string]any) {
		req, err := http.NewRequest(method, s.URL+target, nil)
		require.NoError(t, err)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		var v map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&v)
		return resp.StatusCode, v
	}
	for target, want := range map[string]int{
		"/elsewhere":                                 http.StatusNotFound,
		"/api/v1?action=nope":                        http.StatusNotFound,
		"/api/v1?action=schools&id_region=x":         http.StatusBadRequest,
		"/api/v1?action=schools&date_start=1.1.2020": http.StatusBadRequest,
	} {
		got, body := status(http.MethodGet, target)
		assert.Equal(t, want, got, target)
		assert.NotEmpty(t, body["error"], target)
	}
	got, _ := status(http.MethodPost, "/api/v1?action=regions")
	assert.Equal(t, http.StatusMethodNotAllowed, got)
	labels := getRaw(t, s, "action=labels")
	assert.NotEmpty(t, labels["labels"])
}

func TestBaseURLAndStats(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	get := func(path string) int {
		resp, err := srv.Client().Get(srv.BaseURL() + path)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	assert.Equal(t, 200, get("/api/v1?action=regions"))
	assert.Equal(t, 200, get("/api/v1/?action=regions"))
	assert.Equal(t, 404, get("/api/v1?action=nope"))
	assert.Equal(t, 400, get("/api/v1?action=schools&id_region=x"))
	st := srv.Stats()
	assert.Equal(t, map[string]int{"regions": 2, "": 1, "schools": 1}, st.Requests)
	assert.Equal(t, 2, st.Refused)
	st.Requests["regions"] = 99
	assert.Equal(t, 2, srv.Stats().Requests["regions"], "a snapshot")
}
