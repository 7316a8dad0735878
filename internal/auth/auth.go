// Package auth hashes staff passwords and makes the random secrets behind sessions.
package auth

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
	"sync/atomic"
	"testing"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"
)

// MinPasswordLength is the shortest password accepted for a staff account.
const MinPasswordLength = 10

// ErrWrongPassword is returned when a password does not match its hash.
var ErrWrongPassword = errors.New("auth: wrong password")

// cost is the bcrypt cost of new hashes; zero stands for bcrypt.DefaultCost, the only cost
// outside tests (SetCostForTests).
var cost atomic.Int32

// hashCost is the bcrypt cost HashPassword and CheckNobody use now.
func hashCost() int {
	if c := cost.Load(); c != 0 {
		return int(c)
	}
	return bcrypt.DefaultCost
}

// SetCostForTests makes new hashes, and the dummy hash behind CheckNobody, use another bcrypt
// cost, so that tests signing in many times are not slowed by a cost chosen against attackers
// (a check at bcrypt.MinCost is 64 times cheaper than at DefaultCost). It panics outside a
// test binary, so the service always hashes at bcrypt.DefaultCost, and on a cost bcrypt does
// not allow. Hashes made earlier keep their cost and still check.
func SetCostForTests(c int) {
	if !testing.Testing() {
		panic("auth: SetCostForTests called outside a test binary")
	}
	if c < bcrypt.MinCost || c > bcrypt.MaxCost {
		panic(fmt.Sprintf("auth: bcrypt cost %d outside %d..%d", c, bcrypt.MinCost, bcrypt.MaxCost))
	}
	cost.Store(int32(c))
}

// HashPassword hashes a password with bcrypt.
func HashPassword(password string) (string, error) {
	if utf8.RuneCountInString(password) < MinPasswordLength {
		return "", fmt.Errorf("mật khẩu phải có ít nhất %d ký tự", MinPasswordLength)
	}
	if len(password) > 72 {
		return "", fmt.Errorf("mật khẩu dài quá 72 byte")
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), hashCost())
	if err != nil {
		return "", fmt.Errorf("auth: hash password: %w", err)
	}
	return string(h), nil
}

// CheckPassword compares a password with its hash in constant time.
func CheckPassword(hash, password string) error {
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil {
		return ErrWrongPassword
	}
	return nil
}

// dummy is the hash compared against when a user name is unknown, so that timing does not
// tell which names exist. It is made on first use, at the cost then in force, and made again if
// that cost has changed since (SetCostForTests), so that it takes as long as a real check.
var dummy atomic.Pointer[dummyHash]

type dummyHash struct {
	cost int
	hash []byte
}

// dummyFor returns the dummy hash at the current cost. Two first calls at once may both make
// one; either serves.
func dummyFor() []byte {
	c := hashCost()
	if d := dummy.Load(); d != nil && d.cost == c {
		return d.hash
	}
	h, err := bcrypt.GenerateFromPassword([]byte("parsurvey-dummy-password"), c)
	if err != nil {
		panic(err) // only a cost out of range fails, and SetCostForTests refuses those
	}
	dummy.Store(&dummyHash{cost: c, hash: h})
	return h
}

// CheckNobody spends the time a real password check would take.
func CheckNobody(password string) {
	_ = bcrypt.CompareHashAndPassword(dummyFor(), []byte(password))
}

// Token returns n random bytes as URL-safe base64 without padding.
func Token(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// GeneratePassword returns a random password that is easy to copy: 16 characters without
// look-alike letters.
func GeneratePassword() string {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 16)
	for i := range b {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		if err != nil {
			panic(err)
		}
		b[i] = alphabet[n.Int64()]
	}
	return string(b)
}
