package langhost

import "testing"

func TestParseFlagsAcceptsWhatEnginesAndPulumiYamlPass(t *testing.T) {
	for _, args := range [][]string{
		{"127.0.0.1:1234"},
		{"-root=/some/project", "-virtualenv=venv", "127.0.0.1:1234"},
		{"-virtualenv", "-root=/p", "127.0.0.1:1234"},
		{"--tracing", "http://zipkin:9411", "-root=/p", "127.0.0.1:1234"},
		{"-use-executor=/bin/exec", "-unknown-flag", "127.0.0.1:1234"},
	} {
		flags := ParseFlags(args)
		if flags.EngineAddress != "127.0.0.1:1234" {
			t.Errorf("ParseFlags(%q).EngineAddress = %q", args, flags.EngineAddress)
		}
	}
	flags := ParseFlags([]string{"--tracing", "http://zipkin:9411", "-use-executor=/bin/exec", "127.0.0.1:1"})
	if flags.Tracing != "http://zipkin:9411" || flags.Executor != "/bin/exec" {
		t.Errorf("ParseFlags kept tracing %q and executor %q", flags.Tracing, flags.Executor)
	}
}
