// golang-jwt (Debian's golang-github-golang-jwt-jwt-dev, v4) as a cross-language row of the
// benchmark report.
//
// Usage: golang_jwt_bench --fixture FIXTURE.json [--min-time SECONDS] [--check-only]
//
// Checks and times golang-jwt as tests/bench/python/pyjwt_bench.py does PyJWT, and prints the
// same JSON object (that file describes it). tools/run-bench.sh builds it in GOPATH mode
// (GO111MODULE=off) against the package Debian installs under /usr/share/gocode, so nothing is
// downloaded. Used as golang-jwt's documentation shows: keys parsed once (jwt.Parse*FromPEM), then
// per token jwt.NewWithClaims() of a claims struct embedding jwt.RegisteredClaims and
// SignedString(), or jwt.ParseWithClaims() with WithValidMethods (the one expected algorithm) and
// the `sub` and `roles` read. CPU time is the process's, so Go's garbage collector, which runs
// beside the measured goroutine, is counted.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"syscall"
	"time"

	"github.com/golang-jwt/jwt"
)

type fixtureClaims struct {
	Sub   string   `json:"sub"`
	Roles []string `json:"roles"`
	Iat   int64    `json:"iat"`
	Exp   int64    `json:"exp"`
}

type fixtureEntry struct {
	Secret     *string           `json:"secret"`
	PrivatePEM string            `json:"private_pem"`
	PublicPEM  string            `json:"public_pem"`
	Tokens     map[string]string `json:"tokens"`
}

type fixtureFile struct {
	Claims     fixtureClaims           `json:"claims"`
	Algorithms map[string]fixtureEntry `json:"algorithms"`
}

type timing struct {
	Op         string `json:"op"`
	Alg        string `json:"alg"`
	Iterations int64  `json:"iterations"`
	CPUNs      int64  `json:"cpu_ns"`
	RealNs     int64  `json:"real_ns"`
}

type output struct {
	Failures    []string          `json:"failures"`
	Unsupported map[string]string `json:"unsupported"`
	Signed      map[string]string `json:"signed"`
	Timings     []timing          `json:"timings"`
}

// The benchmark token's claims: golang-jwt's registered claims and the two of the application.
type benchClaims struct {
	Type  string   `json:"type"`
	Roles []string `json:"roles"`
	jwt.RegisteredClaims
}

type implementation struct {
	alg             string
	method          jwt.SigningMethod
	signingKey      interface{}
	verificationKey interface{}
	claims          fixtureClaims
}

// The keys of `entry` parsed as golang-jwt takes them for `method`.
func parseKeys(method jwt.SigningMethod, entry fixtureEntry) (interface{}, interface{}, error) {
	private, public := []byte(entry.PrivatePEM), []byte(entry.PublicPEM)
	var signing, verification interface{}
	var err, publicErr error
	switch method.(type) {
	case *jwt.SigningMethodHMAC:
		if entry.Secret == nil {
			return nil, nil, fmt.Errorf("no secret")
		}
		return []byte(*entry.Secret), []byte(*entry.Secret), nil
	case *jwt.SigningMethodRSA, *jwt.SigningMethodRSAPSS:
		signing, err = jwt.ParseRSAPrivateKeyFromPEM(private)
		verification, publicErr = jwt.ParseRSAPublicKeyFromPEM(public)
	case *jwt.SigningMethodECDSA:
		signing, err = jwt.ParseECPrivateKeyFromPEM(private)
		verification, publicErr = jwt.ParseECPublicKeyFromPEM(public)
	case *jwt.SigningMethodEd25519:
		signing, err = jwt.ParseEdPrivateKeyFromPEM(private)
		verification, publicErr = jwt.ParseEdPublicKeyFromPEM(public)
	default:
		return nil, nil, fmt.Errorf("no key parser for %T", method)
	}
	if err == nil {
		err = publicErr
	}
	return signing, verification, err
}

func (impl *implementation) sign() string {
	claims := benchClaims{
		Type:  "access",
		Roles: append([]string(nil), impl.claims.Roles...),
		RegisteredClaims: jwt.RegisteredClaims{
			Subject:   impl.claims.Sub,
			IssuedAt:  jwt.NewNumericDate(time.Unix(impl.claims.Iat, 0)),
			ExpiresAt: jwt.NewNumericDate(time.Unix(impl.claims.Exp, 0)),
		},
	}
	token, err := jwt.NewWithClaims(impl.method, claims).SignedString(impl.signingKey)
	if err != nil {
		return ""
	}
	return token
}

func (impl *implementation) verify(token string) bool {
	var claims benchClaims
	parsed, err := jwt.ParseWithClaims(token, &claims,
		func(*jwt.Token) (interface{}, error) { return impl.verificationKey, nil },
		jwt.WithValidMethods([]string{impl.alg}))
	if err != nil || !parsed.Valid || claims.Subject != impl.claims.Sub ||
		len(claims.Roles) != len(impl.claims.Roles) {
		return false
	}
	for i, role := range claims.Roles {
		if role != impl.claims.Roles[i] {
			return false
		}
	}
	return true
}

// What went wrong, as jot_bench's check_implementation says it; the token it signed.
func check(impl *implementation, tokens map[string]string) ([]string, string) {
	var failures []string
	if !impl.verify(tokens["valid"]) {
		failures = append(failures, "rejects the canonical token (or reads other claims from it)")
	}
	for _, refused := range []struct{ variant, failure string }{
		{"flipped_signature", "accepts a flipped signature"},
		{"swapped_payload", "accepts a swapped payload"},
		{"expired", "accepts an expired token"},
		{"other_alg", "accepts a token of another alg"},
	} {
		if impl.verify(tokens[refused.variant]) {
			failures = append(failures, refused.failure)
		}
	}
	own := impl.sign()
	if own == "" {
		failures = append(failures, "fails to sign")
	} else if !impl.verify(own) {
		failures = append(failures, "rejects the token it signed")
	}
	return failures, own
}

func cpuNanoseconds() int64 {
	var usage syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &usage); err != nil {
		panic(err)
	}
	return usage.Utime.Nano() + usage.Stime.Nano()
}

// Batches, each larger, until one takes at least minTime seconds of CPU time (the ones before it
// warm up); that batch's count and times.
func measure(operation func() bool, minTime float64) (int64, int64, int64) {
	iterations := int64(1)
	for {
		cpuStart, wallStart := cpuNanoseconds(), time.Now()
		for i := int64(0); i < iterations; i++ {
			if !operation() {
				panic("an operation that passed its check failed while timed")
			}
		}
		cpu, wall := cpuNanoseconds()-cpuStart, time.Since(wallStart).Nanoseconds()
		if float64(cpu) >= minTime*1e9 {
			return iterations, cpu, wall
		}
		grow := 10.0
		if cpu > 0 && 1.4*minTime*1e9/float64(cpu) < grow {
			grow = 1.4 * minTime * 1e9 / float64(cpu)
		}
		next := int64(float64(iterations) * grow)
		if next <= iterations {
			next = iterations + 1
		}
		iterations = next
	}
}

func main() {
	fixturePath := flag.String("fixture", "", "the fixture file jot_bench --write-fixture wrote")
	minTime := flag.Float64("min-time", 0.1, "seconds of CPU time of the timed batch")
	checkOnly := flag.Bool("check-only", false, "stop after the checks")
	flag.Parse()
	text, err := os.ReadFile(*fixturePath)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var fixture fixtureFile
	if err := json.Unmarshal(text, &fixture); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}

	out := output{Failures: []string{}, Unsupported: map[string]string{},
		Signed: map[string]string{}, Timings: []timing{}}
	var implementations []*implementation
	for alg, entry := range fixture.Algorithms {
		method := jwt.GetSigningMethod(alg)
		if method == nil {
			out.Unsupported[alg] = "not among golang-jwt's signing methods"
			continue
		}
		signing, verification, err := parseKeys(method, entry)
		if err != nil {
			out.Failures = append(out.Failures, fmt.Sprintf("%s: cannot parse the keys: %v", alg, err))
			continue
		}
		impl := &implementation{alg, method, signing, verification, fixture.Claims}
		failures, own := check(impl, entry.Tokens)
		out.Signed[alg] = own
		for _, failure := range failures {
			out.Failures = append(out.Failures, alg+": "+failure)
		}
		implementations = append(implementations, impl)
	}

	if len(out.Failures) == 0 && !*checkOnly {
		for _, impl := range implementations {
			impl := impl
			token := fixture.Algorithms[impl.alg].Tokens["valid"]
			for _, op := range []struct {
				name      string
				operation func() bool
			}{
				{"sign", func() bool { return impl.sign() != "" }},
				{"verify", func() bool { return impl.verify(token) }},
			} {
				iterations, cpu, wall := measure(op.operation, *minTime)
				out.Timings = append(out.Timings, timing{op.name, impl.alg, iterations, cpu, wall})
			}
		}
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		panic(err)
	}
	if len(out.Failures) != 0 {
		os.Exit(1)
	}
}
