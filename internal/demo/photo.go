package demo

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
	"math/rand/v2"
)

// photo draws a simple picture of a machine of kind standing on a tiled
// floor, sometimes with a puddle in front, as a PNG.
func photo(r *rand.Rand, kind string) ([]byte, error) {
	const w, h, floor = 480, 360, 270
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	wall := color.RGBA{uint8(200 + r.IntN(40)), uint8(195 + r.IntN(40)), uint8(180 + r.IntN(40)), 255}
	for y := range h {
		if y < floor {
			shade := float64(y) / floor * 25
			fill(img, 0, y, w, y+1, color.RGBA{sub(wall.R, shade), sub(wall.G, shade), sub(wall.B, shade), 255})
			continue
		}
		for x := 0; x < w; x += 48 {
			v := uint8(150)
			if ((x/48)+(y-floor)/30)%2 == 0 {
				v = 170
			}
			fill(img, x, y, min(x+48, w), y+1, color.RGBA{v, v, v - 8, 255})
		}
	}
	top, handle, door := 80, false, false
	switch kind {
	case "Tvättmaskin", "Torktumlare":
		door = true
	case "Kyl", "Frys", "Kyl/frys", "Torkskåp":
		top, handle = 10, true
	default:
		handle = true
	}
	left, right, bottom := 150, 330, 292
	body := color.RGBA{238, 238, 234, 255}
	if r.IntN(4) == 0 {
		body = color.RGBA{168, 170, 172, 255} // rostfri
	}
	fill(img, left+6, top+6, right+6, bottom, color.RGBA{90, 90, 85, 255}) // shadow
	fill(img, left, top, right, bottom, body)
	fill(img, left, top, right, top+26, color.RGBA{body.R - 25, body.G - 25, body.B - 25, 255})
	fill(img, right-40, top+8, right-12, top+18, color.RGBA{40, 60, 50, 255}) // display
	if door {
		cx, cy := (left+right)/2, (top+bottom)/2+14
		disc(img, cx, cy, 66, color.RGBA{150, 152, 155, 255})
		disc(img, cx, cy, 54, color.RGBA{55, 72, 92, 255})
		disc(img, cx-18, cy-20, 12, color.RGBA{120, 140, 160, 255})
	}
	if handle {
		fill(img, left+20, top+40, left+26, top+110, color.RGBA{120, 120, 120, 255})
		if kind == "Kyl/frys" {
			fill(img, left, top+150, right, top+152, color.RGBA{150, 150, 150, 255})
		}
	}
	if r.IntN(2) == 0 { // a puddle
		cx, cy, rx := 200+r.IntN(80), 318, 60+r.IntN(50)
		for y := cy - 20; y < cy+20; y++ {
			for x := cx - rx; x < cx+rx; x++ {
				dx, dy := float64(x-cx)/float64(rx), float64(y-cy)/20
				if x >= 0 && x < w && y < h && dx*dx+dy*dy < 1 {
					c := img.RGBAAt(x, y)
					img.SetRGBA(x, y, color.RGBA{c.R / 2, c.G/2 + 30, c.B/2 + 60, 255})
				}
			}
		}
	}
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func sub(v uint8, d float64) uint8 { return uint8(math.Max(0, float64(v)-d)) }

// fill paints the rectangle [x0, x1) × [y0, y1) with c, a row at a time.
func fill(img *image.RGBA, x0, y0, x1, y1 int, c color.RGBA) {
	if x1 <= x0 {
		return
	}
	row := img.Pix[img.PixOffset(x0, y0):img.PixOffset(x1, y0)]
	row[0], row[1], row[2], row[3] = c.R, c.G, c.B, c.A
	for n := 4; n < len(row); n *= 2 {
		copy(row[n:], row[:n])
	}
	for y := y0 + 1; y < y1; y++ {
		copy(img.Pix[img.PixOffset(x0, y):], row)
	}
}

func disc(img *image.RGBA, cx, cy, radius int, c color.RGBA) {
	for y := cy - radius; y <= cy+radius; y++ {
		for x := cx - radius; x <= cx+radius; x++ {
			if (x-cx)*(x-cx)+(y-cy)*(y-cy) <= radius*radius {
				img.SetRGBA(x, y, c)
			}
		}
	}
}
