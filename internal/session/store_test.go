package session

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFileStore(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "uztgs-session.json")
	fs := NewFileStore(path)
	assert.Equal(t, path, fs.Path())
	ctx := t.Context()

	h, err := fs.Load(ctx)
	require.NoError(t, err, "a missing file is an empty store")
	assert.Equal(t, Headers{}, h)

	want := Headers{AccessToken: "tgervk9_9xicJYpmSsnnNA", TokenType: "Bearer", Client: "D-Uv3ER53873oLhnNLjL9w", Expiry: 1615227012, UID: "api@local.net"}
	require.NoError(t, fs.Save(ctx, want))
	got, err := fs.Load(ctx)
	require.NoError(t, err)
	assert.Equal(t, want, got)

	info, err := os.Stat(path)
	require.NoError(t, err)
	if runtime.GOOS != "windows" {
		assert.Equal(t, os.FileMode(0o600), info.Mode().Perm(), "the file holds a live token")
	}
	entries, _ := os.ReadDir(dir)
	assert.Len(t, entries, 1, "no temporary file is left behind")

	want.AccessToken = "Bmh2GVrxr6aW0Hngor4gPw"
	want.Expiry = 1615311367
	require.NoError(t, fs.Save(ctx, want))
	got, _ = fs.Load(ctx)
	assert.Equal(t, want, got, "a save replaces the file")

	require.NoError(t, fs.Delete(ctx))
	require.NoError(t, fs.Delete(ctx), "deleting twice is fine")
	got, err = fs.Load(ctx)
	require.NoError(t, err)
	assert.Equal(t, Headers{}, got)
}

func TestFileStoreErrors(t *testing.T) {
	dir := t.TempDir()
	ctx := t.Context()
	bad := filepath.Join(dir, "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte("{not json"), 0o600))
	_, err := NewFileStore(bad).Load(ctx)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not valid JSON")

	missingDir := NewFileStore(filepath.Join(dir, "no", "such", "dir", "s.json"))
	require.Error(t, missingDir.Save(ctx, Headers{AccessToken: "x"}))

	asDir := NewFileStore(dir) // a directory cannot be read as a file
	_, err = asDir.Load(ctx)
	require.Error(t, err)
	require.Error(t, asDir.Save(ctx, Headers{}), "cannot rename over a directory")
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		assert.NotContains(t, e.Name(), ".tmp", "a failed save removes its temporary file")
	}

	sub := filepath.Join(dir, "full")
	require.NoError(t, os.Mkdir(sub, 0o700))
	require.NoError(t, os.WriteFile(filepath.Join(sub, "x"), nil, 0o600))
	require.Error(t, NewFileStore(sub).Delete(ctx), "a non-empty directory cannot be removed")

	rel := NewFileStore("relative-session.json")
	t.Chdir(dir)
	require.NoError(t, rel.Save(ctx, Headers{AccessToken: "x", Client: "c", UID: "u"}))
	h, err := rel.Load(ctx)
	require.NoError(t, err)
	assert.Equal(t, "x", h.AccessToken)
}

func TestMemoryStore(t *testing.T) {
	ctx := t.Context()
	var m MemoryStore
	h, err := m.Load(ctx)
	require.NoError(t, err)
	assert.Equal(t, Headers{}, h)
	require.NoError(t, m.Save(ctx, Headers{AccessToken: "a"}))
	h, _ = m.Load(ctx)
	assert.Equal(t, "a", h.AccessToken)
	require.NoError(t, m.Delete(ctx))
	h, _ = m.Load(ctx)
	assert.Equal(t, Headers{}, h)
	assert.Equal(t, "b", func() string { h, _ := NewMemoryStore(Headers{AccessToken: "b"}).Load(ctx); return h.AccessToken }())
}
