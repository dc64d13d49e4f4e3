package session

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// TokenStore keeps a session's headers between runs of a program, so that
// it can resume the session without the password (the uztgs documentation
// suggests keeping the headers of the last response). The session calls
// Save after every response that carried a new token, from one goroutine
// at a time and in the order the tokens were issued, and Delete after
// signing out.
//
// Load returns the zero Headers and a nil error when nothing is stored.
type TokenStore interface {
	Load(ctx context.Context) (Headers, error)
	Save(ctx context.Context, h Headers) error
	Delete(ctx context.Context) error
}

// MemoryStore is a [TokenStore] in memory, the default. It is safe for
// concurrent use; the zero value is empty and ready.
type MemoryStore struct {
	mu sync.Mutex
	h  Headers
}

// NewMemoryStore returns a store holding h (which may be the zero value).
func NewMemoryStore(h Headers) *MemoryStore { return &MemoryStore{h: h} }

// Load returns the stored headers.
func (m *MemoryStore) Load(context.Context) (Headers, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.h, nil
}

// Save replaces the stored headers.
func (m *MemoryStore) Save(_ context.Context, h Headers) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.h = h
	return nil
}

// Delete forgets the stored headers.
func (m *MemoryStore) Delete(context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.h = Headers{}
	return nil
}

// FileStore is a [TokenStore] that keeps the headers as a JSON file. Each
// Save writes a temporary file in the same directory, syncs it and renames
// it over the old one, so a crash leaves either the old or the new headers,
// never a torn file. The file is created with mode 0600: it holds a live
// token. A FileStore is safe for concurrent use within one process.
type FileStore struct {
	path string
	mu   sync.Mutex
}

// NewFileStore returns a store that keeps the headers in the file at path.
// The directory must exist; the file is created on the first Save.
func NewFileStore(path string) *FileStore { return &FileStore{path: path} }

// Path returns the file's path.
func (f *FileStore) Path() string { return f.path }

// Load reads the file. A missing file means nothing is stored.
func (f *FileStore) Load(context.Context) (Headers, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	data, err := os.ReadFile(f.path)
	if errors.Is(err, fs.ErrNotExist) {
		return Headers{}, nil
	}
	if err != nil {
		return Headers{}, fmt.Errorf("session: read token file: %w", err)
	}
	var h Headers
	if err := json.Unmarshal(data, &h); err != nil {
		return Headers{}, fmt.Errorf("session: token file %s is not valid JSON headers: %w", f.path, err)
	}
	return h, nil
}

// Save writes h atomically with mode 0600.
func (f *FileStore) Save(_ context.Context, h Headers) error {
	data, err := json.MarshalIndent(h, "", "  ")
	if err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	dir, base := filepath.Split(f.path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp*")
	if err != nil {
		return fmt.Errorf("session: save token file: %w", err)
	}
	name := tmp.Name()
	ok := false
	defer func() {
		if !ok {
			_ = tmp.Close()
			_ = os.Remove(name)
		}
	}()
	if err := tmp.Chmod(0o600); err != nil {
		return fmt.Errorf("session: save token file: %w", err)
	}
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		return fmt.Errorf("session: save token file: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("session: save token file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("session: save token file: %w", err)
	}
	if err := os.Rename(name, f.path); err != nil {
		return fmt.Errorf("session: save token file: %w", err)
	}
	ok = true
	return nil
}

// Delete removes the file; a missing file is not an error.
func (f *FileStore) Delete(context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := os.Remove(f.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("session: delete token file: %w", err)
	}
	return nil
}
