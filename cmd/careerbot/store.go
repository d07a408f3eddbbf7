package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/careerbot/careerbot/bot/deliver"
	"github.com/careerbot/careerbot/internal/kv"
	"github.com/careerbot/careerbot/jobs"
	jobbolt "github.com/careerbot/careerbot/jobs/boltstore"
	jobredis "github.com/careerbot/careerbot/jobs/redisstore"
	"github.com/careerbot/careerbot/knowledge"
	"github.com/careerbot/careerbot/knowledge/boltstore"
	"github.com/careerbot/careerbot/knowledge/redisstore"
	"github.com/redis/go-redis/v9"
	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// dataFile is the embedded store's file name inside CAREERBOT_DATA_DIR.
const dataFile = "careerbot.db"

// Redis client defaults where REDIS_URL's query (dial_timeout=, pool_size=, ...) sets none.
// pollerLock names the lock that lets one replica poll the sources and fan out.
const pollerLock = "poller"

const (
	redisDialTimeout = 2 * time.Second
	redisIOTimeout   = time.Second
	redisPoolTimeout = 2 * time.Second
)

// store is the backend serve uses: the material store and the adapters' key-value store on the
// same Redis or the same bbolt file, with what closes it.
type store struct {
	knowledge.MaterialStore
	quiz  knowledge.QuizStore
	jobs  jobs.Store
	subs  jobs.SubscriptionStore
	queue jobs.DeliveryQueue
	lock  jobs.Lock // the poller's
	// fenced is the jobs store whose writes are refused once the poller lock's token is not
	// token any more.
	fenced func(token int64) jobs.Store
	pacer  deliver.Pacer
	kv     kv.Store
	kind   string // "redis" or "embedded"
	where  string // redacted URL or file path, for the log
	close  func() error
}

// openStore picks the store: Redis when REDIS_URL is set, else the embedded bbolt file. A Redis
// that does not answer yet is not fatal (commands that need it say so until it does); a
// malformed URL or an unusable data file is.
func openStore(ctx context.Context, cfg config, log *slog.Logger) (*store, error) {
	if cfg.usesRedis() {
		redis.SetLogger(redisLog{log: log})
		rdb, where, err := redisClient(cfg)
		if err != nil {
			return nil, err
		}
		js := jobredis.New(rdb)
		ks := redisstore.New(rdb)
		s := &store{MaterialStore: ks, quiz: ks, jobs: js, subs: js, queue: js, lock: js.Lock(pollerLock),
			fenced: func(token int64) jobs.Store { return js.Fenced(pollerLock, token) }, pacer: jobredis.NewPacer(rdb),
			kv: kv.NewRedis(rdb), kind: "redis", where: where, close: rdb.Close}
		pctx, cancel := context.WithTimeout(ctx, redisDialTimeout)
		defer cancel()
		if err := s.Ping(pctx); err != nil {
			log.Warn("redis does not answer yet; /share and /materials wait for it", "redis", where, "err", redact(err.Error(), cfg.redisURL))
		}
		return s, nil
	}

	dir := cfg.dataDir
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("CAREERBOT_DATA_DIR %s: %w", dir, err)
	}
	path := filepath.Join(dir, dataFile)
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 2 * time.Second})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("the data file %s is in use by another careerbot process; stop it or set CAREERBOT_DATA_DIR", path)
	}
	if err != nil {
		return nil, fmt.Errorf("open the data file %s: %w", path, err)
	}
	js, err := jobbolt.New(db)
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("the data file %s: %w", path, err)
	}
	// One process owns the file: the lock is a formality, and writes need no fence.
	ks := boltstore.New(db)
	return &store{MaterialStore: ks, quiz: ks, jobs: js, subs: js, queue: js, lock: js.Lock(pollerLock),
		fenced: func(int64) jobs.Store { return js }, pacer: deliver.NewLocalPacer(),
		kv: kv.NewBolt(db), kind: "embedded", where: path, close: db.Close}, nil
}

// redisClient builds the client the configuration asks for: a Redis Cluster
// (CAREERBOT_REDIS_CLUSTER), a master found through Sentinel (CAREERBOT_REDIS_SENTINELS and
// CAREERBOT_REDIS_MASTER), or one server (REDIS_URL). Beside the first two, REDIS_URL gives the
// credentials, TLS and database. It also returns a description for the log, without secrets.
func redisClient(cfg config) (redis.UniversalClient, string, error) {
	opts := &redis.Options{}
	if cfg.redisURL != "" {
		var err error
		if opts, err = redis.ParseURL(cfg.redisURL); err != nil {
			return nil, "", fmt.Errorf("REDIS_URL is not a valid Redis URL: %s", redact(err.Error(), cfg.redisURL))
		}
	}
	if opts.DialTimeout == 0 {
		opts.DialTimeout = redisDialTimeout
	}
	if opts.ReadTimeout == 0 {
		opts.ReadTimeout = redisIOTimeout
	}
	if opts.WriteTimeout == 0 {
		opts.WriteTimeout = redisIOTimeout
	}
	if opts.PoolTimeout == 0 {
		opts.PoolTimeout = redisPoolTimeout
	}
	if opts.MaxRetries == 0 {
		opts.MaxRetries = 1 // fail fast in an outage: users are told to try again
	}
	switch {
	case len(cfg.redisCluster) > 0:
		return redis.NewClusterClient(&redis.ClusterOptions{
			Addrs: cfg.redisCluster, Username: opts.Username, Password: opts.Password, TLSConfig: opts.TLSConfig,
			DialTimeout: opts.DialTimeout, ReadTimeout: opts.ReadTimeout, WriteTimeout: opts.WriteTimeout,
			PoolTimeout: opts.PoolTimeout, PoolSize: opts.PoolSize, MaxRetries: opts.MaxRetries,
		}), "cluster " + strings.Join(cfg.redisCluster, ","), nil
	case len(cfg.redisSentinels) > 0:
		return redis.NewFailoverClient(&redis.FailoverOptions{
			MasterName: cfg.redisMaster, SentinelAddrs: cfg.redisSentinels,
			Username: opts.Username, Password: opts.Password, DB: opts.DB, TLSConfig: opts.TLSConfig,
			DialTimeout: opts.DialTimeout, ReadTimeout: opts.ReadTimeout, WriteTimeout: opts.WriteTimeout,
			PoolTimeout: opts.PoolTimeout, PoolSize: opts.PoolSize, MaxRetries: opts.MaxRetries,
		}), "sentinel master " + cfg.redisMaster + " via " + strings.Join(cfg.redisSentinels, ","), nil
	}
	return redis.NewClient(opts), redact(cfg.redisURL, cfg.redisURL), nil
}

// defaultDataDir is where the embedded store lives when CAREERBOT_DATA_DIR is unset: the user's
// data directory ($XDG_DATA_HOME, else ~/.local/share) under careerbot.
func defaultDataDir(getenv env) string {
	if d := getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "careerbot")
	}
	if home := getenv("HOME"); home != "" {
		return filepath.Join(home, ".local", "share", "careerbot")
	}
	if d, err := os.UserConfigDir(); err == nil {
		return filepath.Join(d, "careerbot")
	}
	return "careerbot-data"
}

var userinfo = regexp.MustCompile(`//[^/@]*@`)

// redact removes the credentials of rawURL from msg, whether or not rawURL parses.
func redact(msg, rawURL string) string {
	if loc := userinfo.FindStringIndex(rawURL); loc != nil {
		hidden := rawURL[:loc[0]] + "//xxxxx@" + rawURL[loc[1]:]
		msg = strings.ReplaceAll(msg, rawURL, hidden)
		secret := rawURL[loc[0]+2 : loc[1]-1]
		if _, pass, ok := strings.Cut(secret, ":"); ok && pass != "" {
			msg = strings.ReplaceAll(msg, pass, "xxxxx")
		}
	}
	return msg
}

// redisLog sends the Redis client's own messages (reconnects, pool errors) to the structured
// log instead of stderr.
type redisLog struct {
	log *slog.Logger
}

func (l redisLog) Printf(ctx context.Context, format string, v ...any) {
	l.log.WarnContext(ctx, "redis client: "+fmt.Sprintf(format, v...))
}
