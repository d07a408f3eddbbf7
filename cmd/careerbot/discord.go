package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"

	"github.com/careerbot/careerbot/bot"
	"github.com/careerbot/careerbot/bot/discord"
	"github.com/careerbot/careerbot/knowledge"
)

// runDiscord serves "careerbot discord register [--guild ID] [--print]".
func runDiscord(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) int {
	const synopsis = "discord register [--guild ID] [--print]\n\n" +
		"Bulk-overwrites careerbot's application commands: globally, or in one guild (instant, for development).\n" +
		"Needs DISCORD_BOT_TOKEN and DISCORD_APPLICATION_ID; --print shows the JSON instead of sending it."
	if code, ok := expectSubcommand(args, "register", synopsis, stdout, stderr); !ok {
		return code
	}
	fs := newFlags("discord register", synopsis, stderr)
	guild := fs.String("guild", "", "register in this guild `ID` only")
	print := fs.Bool("print", false, "print the command JSON and send nothing")
	if code, ok := parseFlags(fs, args[1:]); !ok {
		return code
	}
	kb, err := knowledge.Builtin()
	if err != nil {
		fmt.Fprintf(stderr, "careerbot: %v\n", err)
		return exitFail
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	router := newRouter(kb, knowledge.NewLibrary(nil, kb), nil, nil, log, nil)
	defs := discord.Definitions(router.Commands(bot.PlatformDiscord))
	if *print {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(defs)
		return exitOK
	}
	cfg, err := loadDiscord(getenv)
	if err != nil {
		fmt.Fprintf(stderr, "careerbot discord register: %v\n", err)
		return exitUsage
	}
	a, err := discord.New(cfg, router, log, nil)
	if err != nil {
		fmt.Fprintf(stderr, "careerbot discord register: %v\n", err)
		return exitUsage
	}
	if err := a.Register(ctx, defs, *guild); err != nil {
		fmt.Fprintf(stderr, "careerbot discord register: %v\n", err)
		return exitFail
	}
	where := "globally (may take up to an hour to appear)"
	if *guild != "" {
		where = "in guild " + *guild
	}
	fmt.Fprintf(stdout, "registered %d commands %s\n", len(defs), where)
	return exitOK
}
