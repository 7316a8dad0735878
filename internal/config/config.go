// Package config reads parsurvey's settings from flags, each with an environment equivalent.
package config

import (
	"flag"
	"fmt"
	"io"
	"net/url"
	"strings"
)

// Config is what the service needs to start.
type Config struct {
	// Addr is the listen address (PARSURVEY_ADDR).
	Addr string
	// DB is the SQLite file (PARSURVEY_DB).
	DB string
	// BaseURL is the public address used in links and QR codes (PARSURVEY_BASE_URL).
	BaseURL string
	// FormsDir is a folder of campaign definitions to load at start (PARSURVEY_FORMS); empty loads
	// the demo campaign built into the binary when the database has none.
	FormsDir string
	// ProxyHeader names the header carrying the client address when a reverse proxy sits in
	// front (PARSURVEY_PROXY_HEADER, e.g. X-Forwarded-For); rate limits count per that address.
	ProxyHeader string
	// NoDemo stops the built-in demo campaign from loading into an empty database (PARSURVEY_NO_DEMO).
	NoDemo bool
}

// Default is the configuration of a fresh clone.
func Default() Config {
	return Config{Addr: "127.0.0.1:8080", DB: "data/parsurvey.db"}
}

// Flags registers the service flags on fs, with defaults taken from the environment.
func (c *Config) Flags(fs *flag.FlagSet, getenv func(string) string) {
	env := func(key, def string) string {
		if v := getenv(key); v != "" {
			return v
		}
		return def
	}
	fs.StringVar(&c.Addr, "addr", env("PARSURVEY_ADDR", c.Addr), "địa chỉ lắng nghe (PARSURVEY_ADDR)")
	fs.StringVar(&c.DB, "db", env("PARSURVEY_DB", c.DB), "tệp cơ sở dữ liệu SQLite (PARSURVEY_DB)")
	fs.StringVar(&c.BaseURL, "base-url", env("PARSURVEY_BASE_URL", c.BaseURL), "địa chỉ công khai dùng trong đường dẫn và mã QR (PARSURVEY_BASE_URL); mặc định http://<addr>")
	fs.StringVar(&c.FormsDir, "forms", env("PARSURVEY_FORMS", c.FormsDir), "thư mục định nghĩa đợt khảo sát cần nạp (PARSURVEY_FORMS)")
	fs.StringVar(&c.ProxyHeader, "proxy-header", env("PARSURVEY_PROXY_HEADER", c.ProxyHeader), "tiêu đề chứa địa chỉ người dùng khi chạy sau reverse proxy, ví dụ X-Forwarded-For (PARSURVEY_PROXY_HEADER)")
	fs.BoolVar(&c.NoDemo, "no-demo", env("PARSURVEY_NO_DEMO", "") != "", "không nạp đợt khảo sát mẫu vào cơ sở dữ liệu trống (PARSURVEY_NO_DEMO)")
}

// Parse reads args (without the program name) into a configuration.
func Parse(name string, args []string, getenv func(string) string, out io.Writer) (Config, *flag.FlagSet, error) {
	c := Default()
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	c.Flags(fs, getenv)
	if err := fs.Parse(args); err != nil {
		return c, fs, err
	}
	return c, fs, c.Finish()
}

// Finish fills derived defaults and checks the values.
func (c *Config) Finish() error {
	if c.BaseURL == "" {
		host := c.Addr
		if strings.HasPrefix(host, ":") {
			host = "localhost" + host // listening on every address: links need a host name
		}
		c.BaseURL = "http://" + host
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("config: base URL %q must look like https://khaosat.example.gov.vn", c.BaseURL)
	}
	if c.DB == "" {
		return fmt.Errorf("config: database path is empty")
	}
	return nil
}
