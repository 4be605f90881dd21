package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"kundportal/internal/config"
)

// health handles "kundportal health": it asks the server on this
// machine's configured address (KUNDPORTAL_ADDR) for /readyz, which
// answers once the database does, and fails unless the answer is 200. It
// is the container's health check, where no curl is at hand.
func health(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := config.Load(args, getenv, stderr)
	if err != nil {
		return err
	}
	url := siteURL(cfg.Addr, cfg.Addr) + "/readyz"
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("health: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("health: %s answered %s", url, resp.Status)
	}
	fmt.Fprintln(stdout, "ok")
	return nil
}
