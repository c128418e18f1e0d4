// wordfreq prints the most frequent words of the .txt files in a folder.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

func main() {
	top := flag.Int("top", 10, "how many words to print")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: wordfreq [-top N] FOLDER")
		os.Exit(2)
	}
	minLength, _ := strconv.Atoi(os.Getenv("WORDFREQ_MIN_LENGTH"))
	files, err := filepath.Glob(filepath.Join(flag.Arg(0), "*.txt"))
	if err != nil || len(files) == 0 {
		fmt.Fprintf(os.Stderr, "no .txt files in %s\n", flag.Arg(0))
		os.Exit(1)
	}
	counts := map[string]int{}
	for _, file := range files {
		text, err := os.ReadFile(file)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		for _, word := range strings.FieldsFunc(strings.ToLower(string(text)), func(r rune) bool { return !unicode.IsLetter(r) }) {
			if len(word) >= minLength {
				counts[word]++
			}
		}
	}
	words := make([]string, 0, len(counts))
	for w := range counts {
		words = append(words, w)
	}
	sort.Slice(words, func(i, j int) bool {
		if counts[words[i]] != counts[words[j]] {
			return counts[words[i]] > counts[words[j]]
		}
		return words[i] < words[j]
	})
	fmt.Printf("%d files, %d distinct words of %d+ letters\n", len(files), len(words), minLength)
	for i := 0; i < *top && i < len(words); i++ {
		fmt.Printf("%-12s %d\n", words[i], counts[words[i]])
	}
}
