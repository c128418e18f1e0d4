// Package store keeps bookmarks in one JSON file, rewritten on every change.
package store

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sync"
)

type Bookmark struct {
	ID    int    `json:"id"`
	URL   string `json:"url"`
	Title string `json:"title"`
}

type Store struct {
	mu    sync.Mutex
	path  string
	items []Bookmark
}

func Open(dir string) (*Store, error) {
	s := &Store{path: filepath.Join(dir, "bookmarks.json"), items: []Bookmark{}}
	data, err := os.ReadFile(s.path)
	if errors.Is(err, os.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, err
	}
	return s, json.Unmarshal(data, &s.items)
}

func (s *Store) List() []Bookmark {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Bookmark(nil), s.items...)
}

func (s *Store) Add(b Bookmark) (Bookmark, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b.ID = len(s.items) + 1
	s.items = append(s.items, b)
	data, err := json.MarshalIndent(s.items, "", "  ")
	if err != nil {
		return Bookmark{}, err
	}
	tmp := s.path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return Bookmark{}, err
	}
	return b, os.Rename(tmp, s.path)
}
