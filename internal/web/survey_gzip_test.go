package web

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/parsurvey/parsurvey/internal/testenv"
)

// getEncoded fetches path through the app with an Accept-Encoding and returns the response and
// its body as it travels (not decompressed).
func getEncoded(tb testing.TB, srv *Server, path, acceptEncoding string) (*http.Response, []byte) {
	tb.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if acceptEncoding != "" {
		req.Header.Set("Accept-Encoding", acceptEncoding)
	}
	resp, err := srv.App().Test(req, -1)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return resp, b
}

// gunzip decompresses a gzip body, checking its CRC and length as a browser does.
func gunzip(tb testing.TB, b []byte) string {
	tb.Helper()
	r, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		tb.Fatal(err)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		tb.Fatalf("gzip stream: %v", err)
	}
	return string(out)
}

// sameButSID compares two pages of one form, whose submission ids differ per load.
func sameButSID(a, b string) bool {
	return sidAttr.ReplaceAllString(a, "") == sidAttr.ReplaceAllString(b, "")
}

func TestRespondentPagesTravelCompressed(t *testing.T) {
	t.Parallel()
	e, issued := newMatrixEnv(t, 20, 2)
	path := "/p/" + issued[0].Token

	t.Run("a browser that takes gzip gets the cached page compressed, and it reads back whole", func(t *testing.T) {
		plainResp, plain := getEncoded(t, e.srv, path, "")
		resp, wire := getEncoded(t, e.srv, path, "gzip, deflate, br")
		if resp.Header.Get("Content-Encoding") != "gzip" || plainResp.Header.Get("Content-Encoding") != "" {
			t.Fatalf("Content-Encoding %q and %q", resp.Header.Get("Content-Encoding"), plainResp.Header.Get("Content-Encoding"))
		}
		if !strings.Contains(resp.Header.Get("Vary"), "Accept-Encoding") || !strings.Contains(plainResp.Header.Get("Vary"), "Accept-Encoding") {
			t.Fatal("the page does not vary on Accept-Encoding")
		}
		page := gunzip(t, wire)
		if !sameButSID(page, string(plain)) {
			t.Fatal("the compressed page differs from the plain one")
		}
		mustContain(t, page, issued[0].Code, `action="`+path+`"`)
		if len(wire)*5 > len(plain) {
			t.Fatalf("%d bytes compressed to %d", len(plain), len(wire))
		}
	})
	t.Run("each copy carries its own token and code", func(t *testing.T) {
		_, wire := getEncoded(t, e.srv, "/p/"+issued[1].Token, "gzip")
		page := gunzip(t, wire)
		mustContain(t, page, issued[1].Code, `data-token="`+issued[1].Token+`"`)
		if strings.Contains(page, issued[0].Token) || strings.Contains(page, "ps9") {
			t.Fatal("another copy's token or a placeholder in the page")
		}
	})
	t.Run("a browser that refuses gzip gets the page plain", func(t *testing.T) {
		for _, ae := range []string{"identity", "gzip;q=0, identity", "br"} {
			resp, body := getEncoded(t, e.srv, path, ae)
			if resp.Header.Get("Content-Encoding") != "" || !bytes.Contains(body, []byte(issued[0].Code)) {
				t.Errorf("Accept-Encoding %q: Content-Encoding %q", ae, resp.Header.Get("Content-Encoding"))
			}
		}
	})
	t.Run("a page restored from its draft and a page sent back with errors are compressed too", func(t *testing.T) {
		c := e.client()
		c.saveDraft(issued[0].Token, url.Values{"_rev": {"0"}, "q_C1_SNV": {"2"}})
		resp, wire := getEncoded(t, e.srv, path, "gzip")
		if resp.Header.Get("Content-Encoding") != "gzip" || !checked(gunzip(t, wire), "q_C1_SNV", "2") {
			t.Fatal("restored page not compressed or not restored")
		}
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader("sid=x&q_C1_SNV=1"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept-Encoding", "gzip")
		r2, err := e.srv.App().Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(r2.Body)
		if r2.StatusCode != http.StatusUnprocessableEntity || r2.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(gunzip(t, b), "Phiếu chưa gửi được") {
			t.Fatalf("error page: %d %q", r2.StatusCode, r2.Header.Get("Content-Encoding"))
		}
	})
	t.Run("the stylesheet and the script travel compressed", func(t *testing.T) {
		for _, p := range []string{"/static/app.css", "/static/survey.js"} {
			resp, wire := getEncoded(t, e.srv, p, "gzip")
			if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Encoding") != "gzip" || len(gunzip(t, wire)) < 1000 {
				t.Errorf("%s: %d %q", p, resp.StatusCode, resp.Header.Get("Content-Encoding"))
			}
		}
	})
}

// BenchmarkMatrixPage serves a council delegate's matrix form (22 questions) about 12 units
// (the demo) and 20, and reports the page's size as HTML and on the wire (gzip, what every
// browser asks for). The goal: 20 units under 150 KB on the wire.
func BenchmarkMatrixPage(b *testing.B) {
	for _, units := range []int{12, 20} {
		db := testenv.Open(b)
		_, issued := matrixCampaign(b, db, units, 1)
		srv := newServer(b, db)
		path := "/p/" + issued[0].Token
		_, plain := getEncoded(b, srv, path, "")
		_, wire := getEncoded(b, srv, path, "gzip, deflate, br")
		b.Run(fmt.Sprintf("units=%d/cached", units), func(b *testing.B) {
			for b.Loop() {
				getEncoded(b, srv, path, "gzip")
			}
			b.ReportMetric(float64(len(plain)), "html-bytes")
			b.ReportMetric(float64(len(wire)), "wire-bytes")
		})
		// The same page with answers restored from a draft is rendered and compressed per request.
		req := httptest.NewRequest(http.MethodPost, path+"/draft", strings.NewReader("_rev=0&q_C1_SNV=2&q_C2_STP=1"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
		if resp, err := srv.App().Test(req, -1); err != nil || resp.StatusCode != http.StatusOK {
			b.Fatalf("save a draft: %v %v", resp, err)
		}
		_, draftWire := getEncoded(b, srv, path, "gzip")
		b.Run(fmt.Sprintf("units=%d/draft", units), func(b *testing.B) {
			for b.Loop() {
				getEncoded(b, srv, path, "gzip")
			}
			b.ReportMetric(float64(len(draftWire)), "wire-bytes")
		})
	}
}
