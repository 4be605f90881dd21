package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"time"

	"kundportal/internal/auth"
	"kundportal/internal/config"
	"kundportal/internal/demo"
	"kundportal/internal/orders"
	"kundportal/internal/store"
)

// seed handles "kundportal seed": it fills a database without cases with a
// large, realistic, deterministic data set, for measuring and for working
// on (see store.Seed), and prints the logins' password.
func seed(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cases := fs.Int("cases", 1000000, "number of cases")
	seedValue := fs.Uint64("seed", 1, "random seed: the same seed and -cases give the same data")
	password := fs.String("password", "", "password of every seeded login (default: a random one, printed)")
	cfgArgs, seedArgs := splitConfigFlags(args)
	if err := fs.Parse(seedArgs); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("seed: unexpected arguments %q", fs.Args())
	}
	cfg, err := config.Load(cfgArgs, getenv, stderr)
	if err != nil {
		return err
	}
	pw := *password
	if pw == "" {
		b := make([]byte, 12)
		rand.Read(b)
		pw = base64.RawURLEncoding.EncodeToString(b)
	}
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	db, files, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	// Every seeded photo is one small stored JPEG, so the file pages and
	// downloads work without storing a blob per row.
	var img bytes.Buffer
	jpeg.Encode(&img, photo(), nil)
	sum, size, err := files.Put(&img)
	if err != nil {
		return fmt.Errorf("seed: photo: %w", err)
	}
	start := time.Now()
	err = db.Seed(ctx, store.SeedConfig{Cases: *cases, Seed: *seedValue, PasswordHash: hash,
		Photo: store.SeedPhoto{SHA256: sum, Size: size}}, func(done, total int) {
		fmt.Fprintf(stderr, "cases %d/%d (%d s)\n", done, total, int(time.Since(start).Seconds()))
	})
	if errors.Is(err, store.ErrHasCases) {
		return errors.New("seed: the database already has cases; seed only a new, empty database")
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "done in %d s\n", int(time.Since(start).Seconds()))
	// The staff who must sign in with a code get the demo's published
	// two-factor key, sealed with this data directory's key.
	box, err := secretBox(cfg)
	if err != nil {
		return err
	}
	ops := orders.New(db, files, nil)
	ops.UseSecrets(box)
	for _, name := range []string{"disp1", "disp2", "admin"} {
		if err := ops.UseTOTPSecret(ctx, name+"@"+store.SeedEmailDomain, demo.TOTPSecret); err != nil {
			return fmt.Errorf("seed: two-factor login: %w", err)
		}
	}
	fmt.Fprintf(stdout, "seeded %d cases (seed %d); logins kund1..kund20, tekniker1..tekniker10, disp1, disp2, admin @%s, password %s; two-factor key of disp1, disp2, admin %s\n",
		*cases, *seedValue, store.SeedEmailDomain, pw, demo.TOTPSecret)
	return nil
}

// photo is a small grey gradient standing in for a technician's photo.
func photo() image.Image {
	m := image.NewGray(image.Rect(0, 0, 64, 48))
	for y := range 48 {
		for x := range 64 {
			m.SetGray(x, y, color.Gray{Y: uint8(80 + x + y)})
		}
	}
	return m
}
