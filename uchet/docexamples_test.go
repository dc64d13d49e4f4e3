package uchet

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every value of the example answer of «Статус обновления данных» (the
// request is the page's curl; TestDocumentationExampleDecodes checks its query). The
// block "Ответ:" above the example describes the members in words and is
// not JSON; it is not an example.
func TestDocumentationAnswerEveryValue(t *testing.T) {
	c, mt := newMocked(t)
	mt.RegisterResponder(http.MethodGet, "https://pk.uchet.kz/api/v2/update_status/", httpmock.NewStringResponder(200, docAnswer))
	st, err := c.UpdateStatus(context.Background(), docBIN)
	require.NoError(t, err)

	at := func(s int) time.Time { return time.Date(2023, 4, 25, 17, 24, s, 0, Almaty) }
	done := func(finish int) Task { return Task{Status: StatusDone, Start: at(52), Finish: at(finish)} }
	running := Task{Status: StatusProcessing, Start: at(52)}
	assert.Equal(t, &UpdateStatus{
		IINBIN: "141040028436", TasksCount: 20, Processed: 13, Success: 13, Failed: 0, Processing: 7,
		Start: at(52),
		Tasks: map[TaskName]Task{
			TaskGoszakup: done(54), TaskGoszakupUnreliable: done(53), TaskPayments: done(53), TaskTaxDebtAgreement: done(54),
			TaskElicense: running, TaskDegreeOfRisk: running, TaskInLiquidation: running, TaskNDSPayer: running,
			TaskAbsentLegalAddress: done(52), TaskBankrupt: done(52), TaskInactive: done(52), TaskFalseEnterprise: done(52),
			TaskRegistrationInvalid: done(52), TaskTaxArrears: done(52), TaskViolationTaxCode: done(53), TaskSamruk: done(53),
			TaskStatGov: done(53), TaskE034: running, TaskE080: running, TaskE083: running,
		},
	}, st)
	assert.Equal(t, time.Date(2023, 4, 25, 11, 24, 52, 0, time.UTC), st.Start.UTC(), "UTC+6 in April 2023")
	assert.Len(t, st.Running(), st.Processing, "the counters agree with the tasks")
}

// The error example of the page, as printed (one member per line). The
// page gives no HTTP status for its errors; the code decides, whatever
// the status (TestDetailErrorsWhateverTheStatus tries several).
func TestDocumentationErrorExample(t *testing.T) {
	const printed = "{\n\"detail\": {\n\"code\": \"iin_bin_validation_error\",\n\"message\": \"iin_bin is not valid\"\n}\n}"
	for _, status := range []int{http.StatusBadRequest, http.StatusOK} {
		c, mt := newMocked(t)
		mt.RegisterResponder(http.MethodGet, "https://pk.uchet.kz/api/v2/update_status/", httpmock.NewStringResponder(status, printed))
		st, err := c.UpdateStatus(context.Background(), docBIN)
		assert.Nil(t, st)
		require.ErrorIs(t, err, ErrIINBINValidation)
		require.ErrorIs(t, err, ErrValidation)
		var ae *APIError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, CodeIINBINValidation, ae.Code)
		assert.Equal(t, "iin_bin is not valid", ae.Message)
		assert.Equal(t, status, ae.StatusCode)
		assert.Equal(t, "uchet: iin_bin_validation_error: iin_bin is not valid (HTTP "+http.StatusText(status)+")", ae.Error())
	}
}
