package web

import (
	"context"
	"net/http"
	"runtime"
	"strings"
)

// Pages in turns. A page is a millisecond or two of CPU, most of it its
// reads. With every request of many connections running at once, each
// shares the two cores with all the others and all finish late: under
// 32 connections a page's p95 was 1.7–2.2 times its median
// (docs/PERFORMANCE.md, run 16), spread by the Go scheduler's time slices and the
// collector's pauses falling on whichever pages ran. So a page runs only
// in one of a few turns, and the pages beyond them wait for one in the
// order they came (a channel serves its waiting senders first come,
// first served). The turns keep the cores busy and bound how much is
// under way at once; the wait is where the time goes instead of being
// spread over every page.
//
// A page gives its turn back once its bytes are ready (render), before
// they are written to a client that may read them slowly. The requests
// whose time is not the server's do not take turns: exports and
// downloads, which stream to the client; saves (POST), which the
// store's one writer queues anyway and groups by how many wait
// (internal/store/group.go); and static files.

// pageTurnsPerCore is how many pages run at once for each core Go uses.
const pageTurnsPerCore = 2

// pageTurns are the turns of a server's pages: a slot taken for each
// page that runs.
type pageTurns chan struct{}

func newPageTurns() pageTurns { return make(pageTurns, pageTurnsPerCore*runtime.GOMAXPROCS(0)) }

// turn is one page's turn, given back once: by render or when the
// handler returns, both on the handler's goroutine.
type turn struct {
	turns pageTurns
	back  bool
}

func (t *turn) release() {
	if !t.back {
		t.back = true
		<-t.turns
	}
}

type turnKey struct{}

// inTurn runs h once it has a turn, and gives the turn back when h
// returns if render has not already. A client that goes away while it
// waits is sent nothing.
func (s *server) inTurn(h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		select {
		case s.turns <- struct{}{}:
		case <-r.Context().Done():
			return nil
		}
		t := &turn{turns: s.turns}
		defer t.release()
		return h(w, r.WithContext(context.WithValue(r.Context(), turnKey{}, t)))
	}
}

// endTurn gives back r's page's turn, if it has one.
func endTurn(r *http.Request) {
	if t, ok := r.Context().Value(turnKey{}).(*turn); ok {
		t.release()
	}
}

// takesTurns reports whether the route of pattern serves pages that take
// turns: a GET that is not an export or a download of a file.
func takesTurns(pattern string) bool {
	method, path, _ := strings.Cut(pattern, " ")
	return method == http.MethodGet && !strings.Contains(path, "/export.") && !strings.HasPrefix(path, "/filer/")
}
