package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// The seed tutorial's two-host layout (on each host a name server, the master
// of one broker group and the slave of the other, SYNC_MASTER), measured on
// this machine: the two "hosts" are two blocks of ports on 127.0.0.1. Local
// brokers need no root and no network namespaces, so `make bench` runs
// anywhere the quick start runs; what is measured (RocketMQ's stop, the
// provider's restart order and its waits) does not depend on SSH, which would
// add a few round trips of a few milliseconds per step.

type seedResult struct {
	rollingWall     time.Duration
	providerStops   []time.Duration
	stopHows        map[string]int
	plainStop       time.Duration
	destroyWall     time.Duration
	destroyStops    []time.Duration
	restartTimeline []string
	version         string
}

func (b *bench) seedHCL(jvmFlag string) (string, error) {
	dist := filepath.Join(b.root, "rocketmq-runtime", "target", "rocketmq-all-"+*rocketmqV+"-bin-release.zip")
	install := filepath.Join(b.work, "seed", "rmq")
	// host 1: name server, broker-a master, broker-b slave; host 2 the other way round
	if b.seedPorts == nil {
		base, err := freeBlock(26)
		if err != nil {
			return "", err
		}
		// name servers on base and base+1; a broker binds listen_port-2 .. listen_port+1
		b.seedPorts = []int{base, base + 1, base + 6, base + 12, base + 18, base + 24}
	}
	p := b.seedPorts
	var hcl strings.Builder
	hcl.WriteString(header)
	hcl.WriteString("provider \"rocketmq\" {}\n")
	for i, port := range p[:2] {
		fmt.Fprintf(&hcl, `
resource "rocketmq_nameserver" "ns%d" {
  install_dir  = %q
  distribution = %q
  listen_port  = %d
  jvm_heap     = "128m"
  jvm_options  = ["-XX:+UseSerialGC"]
}
`, i+1, install+fmt.Sprint(i+1), dist, port)
	}
	type broker struct {
		name, group string
		id, host    int
	}
	layout := []broker{{"a_master", "broker-a", 0, 1}, {"b_slave", "broker-b", 1, 1}, {"b_master", "broker-b", 0, 2}, {"a_slave", "broker-a", 1, 2}}
	for i, br := range layout {
		role := "SYNC_MASTER"
		if br.id != 0 {
			role = "SLAVE"
		}
		fmt.Fprintf(&hcl, `
resource "rocketmq_broker" "%s" {
  install_dir  = %q
  distribution = %q
  broker_name  = %q
  broker_id    = %d
  broker_role  = %q
  name_servers = [rocketmq_nameserver.ns1.address, rocketmq_nameserver.ns2.address]
  listen_port  = %d
  jvm_heap     = "256m"
  jvm_options  = ["-XX:+UseSerialGC"%s]
  delete_when        = "04"
  file_reserved_time = 48
  properties = { mappedFileSizeCommitLog = "67108864", mappedFileSizeConsumeQueue = "600000" }
}
`, br.name, install+fmt.Sprint(br.host), dist, br.group, br.id, role, p[2+i], jvmFlag)
	}
	return hcl.String(), nil
}

// runSeed applies the seed layout, rolls a restart of its four brokers
// through a change of their JVM options, stops one broker with a plain SIGTERM
// for comparison, and destroys the rest.
func (b *bench) runSeed() (*seedResult, error) {
	r := &seedResult{stopHows: map[string]int{}, version: *rocketmqV}
	hcl, err := b.seedHCL("")
	if err != nil {
		return nil, err
	}
	fmt.Println("== seed layout: 2 name servers, 2 masters, 2 slaves (local, distinct ports)")
	dir, err := b.dir("seed", hcl)
	if err != nil {
		return nil, err
	}
	if _, _, err := b.tf(dir, nil, "apply", "-auto-approve", "-input=false", "-no-color"); err != nil {
		return nil, err
	}
	if hcl, err = b.seedHCL(`, "-Dbench.rolled=1"`); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(hcl), 0o644); err != nil {
		return nil, err
	}
	rollLog := filepath.Join(b.work, "seed-rolling.log")
	fmt.Println("== rolling restart of the four brokers")
	if r.rollingWall, _, err = b.tf(dir, []string{"TF_LOG_PROVIDER=info", "TF_LOG_PATH=" + rollLog}, "apply", "-auto-approve", "-input=false", "-no-color"); err != nil {
		return nil, err
	}
	r.providerStops, r.restartTimeline = stopsIn(rollLog, r.stopHows)

	// RocketMQ's own graceful stop, for comparison: SIGTERM to one master and wait until it has exited.
	pidFile := filepath.Join(b.work, "seed", "rmq1", fmt.Sprintf("broker-%d", b.seedPorts[2]), "pid")
	if data, err := os.ReadFile(pidFile); err == nil {
		if pid, err := strconv.Atoi(strings.TrimSpace(string(data))); err == nil {
			started := time.Now()
			_ = syscall.Kill(pid, syscall.SIGTERM)
			for syscall.Kill(pid, 0) == nil && time.Since(started) < 60*time.Second {
				time.Sleep(10 * time.Millisecond)
			}
			r.plainStop = time.Since(started)
		}
	}

	destroyLog := filepath.Join(b.work, "seed-destroy.log")
	if r.destroyWall, _, err = b.tf(dir, []string{"TF_LOG_PROVIDER=info", "TF_LOG_PATH=" + destroyLog}, "destroy", "-auto-approve", "-input=false", "-no-color"); err != nil {
		return nil, err
	}
	r.destroyStops, _ = stopsIn(destroyLog, map[string]int{})
	return r, nil
}

var fieldRe = regexp.MustCompile(`([a-z_@]+)=("[^"]*"|\S+)`)

// stopsIn reads the provider's "stopped broker" lines of a log: each stop's
// duration, how it ended, and the restart events in order.
func stopsIn(logFile string, hows map[string]int) ([]time.Duration, []string) {
	f, err := os.Open(logFile)
	if err != nil {
		return nil, nil
	}
	defer f.Close()
	var stops []time.Duration
	var events []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		line := sc.Text()
		for _, msg := range []string{"stopped broker", "started broker", "slaves caught up before the master's stop", "restart turn"} {
			if !strings.Contains(line, ": "+msg+":") {
				continue
			}
			fields := map[string]string{}
			for _, m := range fieldRe.FindAllStringSubmatch(line, -1) {
				fields[m[1]] = strings.Trim(m[2], `"`)
			}
			what := fields["home"]
			if what == "" {
				what = fields["component"] + fields["master"]
			}
			events = append(events, fmt.Sprintf("%s %s %s", fields["timestamp"], msg, what))
			if msg == "stopped broker" {
				if ms, err := strconv.Atoi(fields["millis"]); err == nil {
					stops = append(stops, time.Duration(ms)*time.Millisecond)
					hows[fields["how"]]++
				}
			}
		}
	}
	sort.Strings(events)
	return stops, events
}

func (r *seedResult) print() {
	fmt.Printf("seed layout (RocketMQ %s, 2 name servers, 2 SYNC_MASTER groups, local)\n", r.version)
	fmt.Printf("  broker stop: provider %s median of %d %v   RocketMQ's own SIGTERM to exit %s\n",
		ms(series(r.providerStops).median()), len(r.providerStops), r.stopHows, ms(r.plainStop))
	fmt.Printf("  rolling restart of 4 brokers (jvm_options change): wall %s\n", ms(r.rollingWall))
	fmt.Printf("  destroy (3 brokers, 2 name servers): wall %s, broker stops median %s\n",
		ms(r.destroyWall), ms(series(r.destroyStops).median()))
	fmt.Println("  restart order:")
	for _, e := range r.restartTimeline {
		fmt.Println("    " + e)
	}
}
