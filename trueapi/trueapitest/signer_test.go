package trueapitest

import (
	"crypto/x509/pkix"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewSigner(t *testing.T) {
	s, err := NewSigner(pkix.Name{CommonName: "x", OrganizationalUnit: []string{"BIN" + OtherOwner1}})
	require.NoError(t, err)
	assert.Equal(t, OtherOwner1, ParticipantOf(s.Certificate()))
	other, err := NewSigner(pkix.Name{CommonName: "x"})
	require.NoError(t, err)
	assert.NotEqual(t, s.Certificate().SerialNumber, other.Certificate().SerialNumber, "fresh serials")
	assert.Empty(t, ParticipantOf(other.Certificate()))
}
