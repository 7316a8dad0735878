package config

import (
	"errors"
	"flag"
	"io"
	"strings"
	"testing"
)

// env returns a getenv over a fixed map, so no test reads the real environment.
func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// parse reads args as a command does: the flags over the environment over the defaults, then
// Finish.
func parse(args []string, getenv func(string) string, out io.Writer) (Config, error) {
	c := Default()
	fs := flag.NewFlagSet("parsurvey", flag.ContinueOnError)
	fs.SetOutput(out)
	c.Flags(fs, getenv)
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	return c, c.Finish()
}

func TestFlagsAndEnvironment(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want Config
	}{
		{
			name: "with no flags and no environment the defaults of a fresh clone apply",
			want: Config{Addr: "127.0.0.1:8080", DB: "data/parsurvey.db", BaseURL: "http://127.0.0.1:8080"},
		},
		{
			name: "environment variables replace the defaults",
			env: map[string]string{
				"PARSURVEY_ADDR": "0.0.0.0:9000", "PARSURVEY_DB": "/var/lib/parsurvey/db.sqlite",
				"PARSURVEY_BASE_URL": "https://khaosat.binhan.gov.vn", "PARSURVEY_FORMS": "/etc/parsurvey/forms",
				"PARSURVEY_PROXY_HEADER": "X-Forwarded-For", "PARSURVEY_NO_DEMO": "1",
			},
			want: Config{Addr: "0.0.0.0:9000", DB: "/var/lib/parsurvey/db.sqlite", BaseURL: "https://khaosat.binhan.gov.vn",
				FormsDir: "/etc/parsurvey/forms", ProxyHeader: "X-Forwarded-For", NoDemo: true},
		},
		{
			name: "flags override the environment",
			args: []string{"-addr", ":7000", "-db", "flag.db", "-base-url", "https://flag.example.gov.vn",
				"-forms", "flagforms", "-proxy-header", "X-Real-IP"},
			env: map[string]string{
				"PARSURVEY_ADDR": "0.0.0.0:9000", "PARSURVEY_DB": "env.db", "PARSURVEY_BASE_URL": "https://env.example.gov.vn",
				"PARSURVEY_FORMS": "envforms", "PARSURVEY_PROXY_HEADER": "X-Forwarded-For",
			},
			want: Config{Addr: ":7000", DB: "flag.db", BaseURL: "https://flag.example.gov.vn", FormsDir: "flagforms", ProxyHeader: "X-Real-IP"},
		},
		{
			name: "a flag set to false overrides PARSURVEY_NO_DEMO",
			args: []string{"-no-demo=false"},
			env:  map[string]string{"PARSURVEY_NO_DEMO": "yes"},
			want: Config{Addr: "127.0.0.1:8080", DB: "data/parsurvey.db", BaseURL: "http://127.0.0.1:8080"},
		},
		{
			name: "the -no-demo flag alone stops the demo",
			args: []string{"-no-demo"},
			want: Config{Addr: "127.0.0.1:8080", DB: "data/parsurvey.db", BaseURL: "http://127.0.0.1:8080", NoDemo: true},
		},
		{
			name: "an empty environment variable counts as unset",
			env:  map[string]string{"PARSURVEY_ADDR": "", "PARSURVEY_NO_DEMO": ""},
			want: Config{Addr: "127.0.0.1:8080", DB: "data/parsurvey.db", BaseURL: "http://127.0.0.1:8080"},
		},
		{
			name: "the base URL follows an address given in the environment",
			env:  map[string]string{"PARSURVEY_ADDR": "10.0.0.5:8443"},
			want: Config{Addr: "10.0.0.5:8443", DB: "data/parsurvey.db", BaseURL: "http://10.0.0.5:8443"},
		},
		{
			name: "a trailing slash on the base URL is trimmed",
			args: []string{"-base-url", "https://khaosat.binhan.gov.vn/"},
			want: Config{Addr: "127.0.0.1:8080", DB: "data/parsurvey.db", BaseURL: "https://khaosat.binhan.gov.vn"},
		},
		{
			name: "a base URL with a path keeps the path without its trailing slashes",
			args: []string{"-base-url", "https://binhan.gov.vn/khaosat//"},
			want: Config{Addr: "127.0.0.1:8080", DB: "data/parsurvey.db", BaseURL: "https://binhan.gov.vn/khaosat"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parse(tt.args, env(tt.env), io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("config = %+v\nwant     %+v", got, tt.want)
			}
		})
	}
}

func TestFlagsAndFinishReject(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr string
	}{
		{"a base URL without a scheme is refused", []string{"-base-url", "khaosat.binhan.gov.vn"}, nil, "base URL"},
		{"a base URL without a host is refused", []string{"-base-url", "https://"}, nil, "base URL"},
		{"a base URL with another scheme is refused", []string{"-base-url", "ftp://khaosat.binhan.gov.vn"}, nil, "base URL"},
		{"a bad base URL from the environment is refused", nil, map[string]string{"PARSURVEY_BASE_URL": "/khaosat"}, "base URL"},
		{"an empty database path is refused", []string{"-db", ""}, nil, "database path is empty"},
		{"an unknown flag is refused", []string{"-port", "80"}, nil, "flag provided but not defined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parse(tt.args, env(tt.env), io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
	t.Run("-help returns flag.ErrHelp and prints every flag with its environment variable", func(t *testing.T) {
		var out strings.Builder
		_, err := parse([]string{"-help"}, env(nil), &out)
		if !errors.Is(err, flag.ErrHelp) {
			t.Fatalf("err = %v, want flag.ErrHelp", err)
		}
		for _, v := range []string{"PARSURVEY_ADDR", "PARSURVEY_DB", "PARSURVEY_BASE_URL", "PARSURVEY_FORMS", "PARSURVEY_PROXY_HEADER", "PARSURVEY_NO_DEMO"} {
			if !strings.Contains(out.String(), v) {
				t.Errorf("usage lacks %s:\n%s", v, out.String())
			}
		}
	})
}

func TestFinish(t *testing.T) {
	tests := []struct {
		name    string
		in      Config
		want    string // BaseURL after a successful Finish
		wantErr bool
	}{
		{"an empty base URL is derived from the listen address", Config{Addr: "127.0.0.1:0", DB: "x.db"}, "http://127.0.0.1:0", false},
		{"a base URL that is set is kept", Config{Addr: "127.0.0.1:0", DB: "x.db", BaseURL: "https://a.gov.vn"}, "https://a.gov.vn", false},
		{"a trailing slash is trimmed", Config{Addr: "127.0.0.1:0", DB: "x.db", BaseURL: "http://a.gov.vn/"}, "http://a.gov.vn", false},
		{"an empty address gives a base URL without a host, which is refused", Config{Addr: "", DB: "x.db"}, "", true},
		{"an empty database path is refused", Config{Addr: "127.0.0.1:0"}, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.in
			err := c.Finish()
			if (err != nil) != tt.wantErr {
				t.Fatalf("Finish error = %v, want error %v", err, tt.wantErr)
			}
			if err == nil && c.BaseURL != tt.want {
				t.Errorf("BaseURL = %q, want %q", c.BaseURL, tt.want)
			}
		})
	}
}

func TestFlagsStartFromTheValuesAlreadySet(t *testing.T) {
	// Subcommands register the flags on a Config they prepared; unset flags keep those values.
	c := Config{Addr: "127.0.0.1:0", DB: "prepared.db"}
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	c.Flags(fs, env(nil))
	if err := fs.Parse(nil); err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:0" || c.DB != "prepared.db" {
		t.Errorf("after parsing no flags: %+v", c)
	}
}

func TestListeningOnEveryAddressStillGivesLinksAHost(t *testing.T) {
	c := Default()
	c.Addr = ":8080"
	if err := c.Finish(); err != nil {
		t.Fatal(err)
	}
	if c.BaseURL != "http://localhost:8080" {
		t.Fatalf("base URL %q", c.BaseURL)
	}
}
