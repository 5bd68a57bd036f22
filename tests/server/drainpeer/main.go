// drainpeer measures what a rolling update of the webhook costs its clients. It plays the API server and
// the Service: keep-alive clients built like the API server's webhook client (Go net/http over TLS, POST
// bodies that are not retried) send reviews through a TCP forwarder that, like kube-proxy, sends each new
// connection to the current backend while open connections stay where they are. Each round starts a new
// webhook, waits until it is ready, sends SIGTERM to the old one and, a little later (endpoints leave the
// Service after the pod is told to stop), points new connections at the new one. Every failed request
// is counted and the first few are printed. Standard library only.
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
	"os/exec"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

type config struct {
	webhook, certs, policies, review, logDir string
	sigterms, clients                        int
	grace, switchAfter, load                 time.Duration
}

func main() {
	var c config
	flag.StringVar(&c.webhook, "webhook", "", "sessiongate-webhook binary")
	flag.StringVar(&c.certs, "certs", "", "folder with ca.crt, tls.crt, tls.key")
	flag.StringVar(&c.policies, "policies", "", "--policies of the webhook")
	flag.StringVar(&c.review, "review", "", "AdmissionReview JSON file to POST to /validate")
	flag.StringVar(&c.logDir, "logs", os.TempDir(), "folder for the webhooks' logs")
	flag.IntVar(&c.sigterms, "sigterms", 20, "rolling restarts (SIGTERMs)")
	flag.IntVar(&c.clients, "clients", 16, "concurrent keep-alive clients")
	flag.DurationVar(&c.grace, "grace", time.Second, "--shutdown-grace of the webhook")
	flag.DurationVar(&c.switchAfter, "switch-after", 250*time.Millisecond, "endpoint update lag after SIGTERM")
	flag.DurationVar(&c.load, "load", 300*time.Millisecond, "load on each new webhook before the next SIGTERM")
	flag.Parse()
	if err := run(c); err != nil {
		fmt.Fprintln(os.Stderr, "drainpeer:", err)
		os.Exit(1)
	}
}

// forwarder sends each accepted connection to the backend current at accept time.
type forwarder struct {
	listener net.Listener
	backend  atomic.Value // string
}

func (f *forwarder) serve() {
	for {
		in, err := f.listener.Accept()
		if err != nil {
			return
		}
		go func() {
			out, err := net.Dial("tcp", f.backend.Load().(string))
			if err != nil {
				in.Close()
				return
			}
			pipe := func(dst, src net.Conn) {
				io.Copy(dst, src)
				dst.(*net.TCPConn).CloseWrite()
			}
			done := make(chan struct{}, 2)
			go func() { pipe(out, in); done <- struct{}{} }()
			go func() { pipe(in, out); done <- struct{}{} }()
			<-done
			<-done
			in.Close()
			out.Close()
		}()
	}
}

type webhook struct {
	cmd  *exec.Cmd
	addr string
	done chan error
}

func freePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func start(c config, n int, probe *http.Client) (*webhook, error) {
	addr, err := freePort()
	if err != nil {
		return nil, err
	}
	log, err := os.Create(fmt.Sprintf("%s/webhook-%02d.log", c.logDir, n))
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(c.webhook, "--listen", addr, "--tls-cert", c.certs+"/tls.crt", "--tls-key",
		c.certs+"/tls.key", "--policies", c.policies, "--shutdown-grace", fmt.Sprintf("%dms", c.grace.Milliseconds()),
		"--drain-timeout", "10s", "--log-level", "info")
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	w := &webhook{cmd: cmd, addr: addr, done: make(chan error, 1)}
	go func() { w.done <- cmd.Wait(); log.Close() }()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		res, err := probe.Get("https://" + addr + "/readyz")
		if err == nil {
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode == 200 {
				return w, nil
			}
		}
	}
	cmd.Process.Kill()
	return nil, fmt.Errorf("webhook %d on %s did not become ready (log in %s)", n, addr, c.logDir)
}

func run(c config) error {
	caPEM, err := os.ReadFile(c.certs + "/ca.crt")
	if err != nil {
		return err
	}
	body, err := os.ReadFile(c.review)
	if err != nil {
		return err
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(caPEM)
	tlsConfig := &tls.Config{RootCAs: roots, ServerName: "127.0.0.1", NextProtos: []string{"http/1.1"}}
	probe := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{TLSClientConfig: tlsConfig, DisableKeepAlives: true}}
	// As the API server's webhook client: keep-alive, a request timeout, a body from bytes (GetBody set,
	// so Go retries only when nothing was written), no retries of its own.
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		TLSClientConfig: tlsConfig, MaxIdleConnsPerHost: c.clients, IdleConnTimeout: 90 * time.Second,
	}}

	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	fwd := &forwarder{listener: listener}
	current, err := start(c, 0, probe)
	if err != nil {
		return err
	}
	fwd.backend.Store(current.addr)
	go fwd.serve()
	url := "https://" + listener.Addr().String() + "/validate"

	var ok, failed atomic.Int64
	var failMu sync.Mutex
	var failures []string
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < c.clients; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				res, err := client.Post(url, "application/json", bytes.NewReader(body))
				if err == nil {
					_, err = io.Copy(io.Discard, res.Body)
					res.Body.Close()
					if err == nil && res.StatusCode != 200 {
						err = fmt.Errorf("HTTP %d", res.StatusCode)
					}
				}
				if err == nil {
					ok.Add(1)
					continue
				}
				failed.Add(1)
				failMu.Lock()
				if len(failures) < 10 {
					failures = append(failures, fmt.Sprintf("%s: %v", time.Now().Format("15:04:05.000"), err))
				}
				failMu.Unlock()
			}
		}()
	}

	began := time.Now()
	unclean := 0
	for round := 1; round <= c.sigterms; round++ {
		next, err := start(c, round, probe)
		if err != nil {
			close(stop)
			current.cmd.Process.Kill()
			return err
		}
		time.Sleep(c.load)
		current.cmd.Process.Signal(syscall.SIGTERM)
		time.Sleep(c.switchAfter)
		fwd.backend.Store(next.addr)
		select {
		case err := <-current.done:
			if err != nil {
				unclean++
				fmt.Fprintf(os.Stderr, "round %d: the old webhook exited with %v\n", round, err)
			}
		case <-time.After(c.grace + 20*time.Second):
			unclean++
			current.cmd.Process.Kill()
			fmt.Fprintf(os.Stderr, "round %d: the old webhook did not exit\n", round)
		}
		current = next
	}
	time.Sleep(c.load)
	close(stop)
	wg.Wait()
	current.cmd.Process.Signal(syscall.SIGTERM)
	<-current.done
	elapsed := time.Since(began)

	fmt.Printf("drain: %d SIGTERMs under %d keep-alive Go net/http clients, %d requests answered, %d failed, "+
		"%.0f req/s, %d unclean exits, %.1fs\n", c.sigterms, c.clients, ok.Load(), failed.Load(),
		float64(ok.Load())/elapsed.Seconds(), unclean, elapsed.Seconds())
	for _, f := range failures {
		fmt.Println("  failed:", f)
	}
	if failed.Load() > 0 || unclean > 0 || ok.Load() == 0 {
		return fmt.Errorf("%d failed requests, %d unclean exits", failed.Load(), unclean)
	}
	return nil
}
