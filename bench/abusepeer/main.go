// abusepeer holds many slow or abusive connections open against the webhook and, meanwhile, times new
// legitimate reviews the way the API server sends them (Go net/http over TLS, a fresh connection each),
// then prints the latencies and the webhook's peak RSS. Abusive connections come from 127.0.2.x so the
// per-client cap applies to them and not to the legitimate client on 127.0.0.1. Standard library only.
package main

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8443", "webhook address")
	ca := flag.String("ca", "", "CA file")
	review := flag.String("review", "", "AdmissionReview to POST to /validate")
	pid := flag.Int("pid", 0, "webhook process id, for its peak RSS")
	conns := flag.Int("connections", 2000, "slow or abusive connections held open")
	sources := flag.Int("sources", 8, "source addresses 127.0.2.1..N the abusive connections come from")
	kindList := flag.String("kinds", "silent-tcp,slow-head,slow-body,big-chunked,gzip,huge-headers,slow-hello,idle-keepalive",
		"kinds of abuse, spread over the connections")
	probes := flag.Int("probes", 10, "legitimate reviews timed while the abuse goes on")
	hold := flag.Duration("hold", 0, "keep the abuse going at least this long (with -probes 0: the abusive half "+
		"of a run whose reviews another abusepeer, with -connections 0, times from its own process)")
	flag.Parse()
	began := time.Now()

	caPEM, err := os.ReadFile(*ca)
	check(err)
	body, err := os.ReadFile(*review)
	check(err)
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(caPEM)
	tlsConfig := &tls.Config{RootCAs: roots, ServerName: "127.0.0.1", NextProtos: []string{"http/1.1"}}

	var open atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	kinds := strings.Split(*kindList, ",")
	for i := 0; i < *conns; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			source := &net.TCPAddr{IP: net.ParseIP(fmt.Sprintf("127.0.2.%d", 1+i%*sources))}
			abuse(kinds[i%len(kinds)], *addr, source, tlsConfig, &open, stop)
		}(i)
	}
	if *conns > 0 {
		time.Sleep(3 * time.Second) // let the connections pile up
	}

	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: tlsConfig, DisableKeepAlives: true}}
	var latencies []time.Duration
	failed := 0
	for i := 0; i < *probes; i++ {
		started := time.Now()
		res, err := client.Post("https://"+*addr+"/validate", "application/json", bytes.NewReader(body))
		if err == nil {
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != 200 {
				err = fmt.Errorf("HTTP %d", res.StatusCode)
			}
		}
		if err != nil {
			failed++
			fmt.Fprintln(os.Stderr, "abusepeer: legitimate review failed:", err)
			continue
		}
		latencies = append(latencies, time.Since(started))
		fmt.Fprintf(os.Stderr, "abusepeer: review answered in %.1f ms\n", float64(time.Since(started).Microseconds())/1000)
		time.Sleep(100 * time.Millisecond)
	}
	if left := *hold - time.Since(began); left > 0 {
		time.Sleep(left)
	}
	held := open.Load()
	rss := peakRSS(*pid)
	close(stop)
	sort.Slice(latencies, func(a, b int) bool { return latencies[a] < latencies[b] })
	p := func(q float64) float64 {
		if len(latencies) == 0 {
			return 0
		}
		return float64(latencies[int(q*float64(len(latencies)-1))].Microseconds()) / 1000
	}
	fmt.Printf("abuse: %d abusive connections attempted (%d held open at the end, kinds %s), %d legitimate "+
		"reviews: %d answered, %d failed, p50 %.1f ms, max %.1f ms; webhook peak RSS %s\n", *conns, held,
		strings.Join(kinds, ","), *probes, len(latencies), failed, p(0.5), p(1), rss)
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
	}
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "abusepeer:", err)
		os.Exit(1)
	}
}

func peakRSS(pid int) string {
	if pid == 0 {
		return "unknown"
	}
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			return strings.TrimSpace(strings.TrimPrefix(line, "VmHWM:"))
		}
	}
	return "unknown"
}

// abuse keeps one connection of the given kind going until stop, reconnecting when the server closes it.
func abuse(kind, addr string, source *net.TCPAddr, tlsConfig *tls.Config, open *atomic.Int64, stop chan struct{}) {
	for {
		select {
		case <-stop:
			return
		default:
		}
		dialer := net.Dialer{LocalAddr: source, Timeout: 5 * time.Second}
		raw, err := dialer.Dial("tcp", addr)
		if err != nil {
			sleepOrStop(time.Second, stop)
			continue
		}
		open.Add(1)
		go func() { <-stop; raw.Close() }()
		switch kind {
		case "silent-tcp":
			io.Copy(io.Discard, raw) // never says ClientHello
		case "slow-hello":
			// The first bytes of a ClientHello, one per second.
			hello := []byte{0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03}
			for _, b := range hello {
				if _, err := raw.Write([]byte{b}); err != nil || sleepOrStop(time.Second, stop) {
					break
				}
			}
			io.Copy(io.Discard, raw)
		default:
			conn := tls.Client(raw, tlsConfig)
			if conn.Handshake() == nil {
				abuseRequest(kind, conn, stop)
			}
		}
		raw.Close()
		open.Add(-1)
	}
}

func abuseRequest(kind string, conn *tls.Conn, stop chan struct{}) {
	go io.Copy(io.Discard, conn)
	write := func(s string) bool { _, err := conn.Write([]byte(s)); return err == nil }
	switch kind {
	case "slow-head":
		head := "POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
		for i := 0; ; i++ {
			if !write(head[i%len(head):i%len(head)+1]) || sleepOrStop(time.Second, stop) {
				return
			}
		}
	case "slow-body":
		if !write("POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n") {
			return
		}
		for write("{") && !sleepOrStop(time.Second, stop) {
		}
	case "big-chunked":
		if !write("POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n") {
			return
		}
		chunk := fmt.Sprintf("%x\r\n%s\r\n", 65536, strings.Repeat(" ", 65536))
		for write(chunk) {
		}
	case "gzip":
		gz := "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + strings.Repeat("\x00", 1000)
		write(fmt.Sprintf("POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n%s", len(gz), gz))
		sleepOrStop(time.Second, stop)
	case "idle-keepalive":
		// One answered request, then the connection stays open and silent, as an idle client's would.
		if !write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n") {
			return
		}
		<-stop
	case "huge-headers":
		write("GET /healthz HTTP/1.1\r\nHost: x\r\n")
		line := "X-Filler: " + strings.Repeat("a", 8000) + "\r\n"
		for write(line) {
		}
	}
}

func sleepOrStop(d time.Duration, stop chan struct{}) bool {
	select {
	case <-stop:
		return true
	case <-time.After(d):
		return false
	}
}
