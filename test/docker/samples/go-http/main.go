// A standard-library HTTP server: the Go sample the rewrite tests build three ways.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
)

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hello from go, greeting=%s\n", os.Getenv("GREETING"))
	})
	log.Fatal(http.ListenAndServe(":"+port, nil))
}
