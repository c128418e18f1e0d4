// A standard-library HTTP server: the Go sample the rewrite tests build three ways.
package main

import (
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"strings"
	"sync"
)

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	var mu sync.Mutex
	var notes []string
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprintf(w, "hello from go, greeting=%s\n", os.Getenv("GREETING"))
	})
	http.HandleFunc("/notes", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		switch r.Method {
		case http.MethodPost:
			body, _ := io.ReadAll(io.LimitReader(r.Body, 4096))
			notes = append(notes, strings.TrimSpace(string(body)))
			w.WriteHeader(http.StatusCreated)
			fmt.Fprintf(w, "note %d\n", len(notes))
		case http.MethodGet:
			fmt.Fprintln(w, strings.Join(notes, "\n"))
		default:
			w.WriteHeader(http.StatusMethodNotAllowed)
		}
	})
	log.Fatal(http.ListenAndServe(":"+port, nil))
}
