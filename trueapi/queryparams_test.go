package trueapi

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/steppe-sdk/steppe/internal/query"
)

// TestQueryParamsLint checks the query structs of this file set the way
// internal/query encodes them: repeated keys, no float, no comma lists.
func TestQueryParamsLint(t *testing.T) {
	assert.NoError(t, errors.Join(
		query.Lint(cisesInfoQuery{}), query.Lint(cisesListQuery{}), query.Lint(cisHistoryQuery{}),
		query.Lint(balanceQuery{}), query.Lint(aggregatedParams{}),
	))
	v, err := query.Values(aggregatedParams{ProductGroup: GroupTobacco, ChildrenLimit: 5, Codes: []string{"a,b", "c&d"}})
	assert.NoError(t, err)
	assert.Equal(t, "childrenLimit=5&codes=a%2Cb&codes=c%26d&pg=tobacco", v.Encode())
}
