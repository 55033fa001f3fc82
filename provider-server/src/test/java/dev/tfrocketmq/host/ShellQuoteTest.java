package dev.tfrocketmq.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShellQuoteTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String[] NASTY = {
        "",
        "plain",
        "a b",
        "it's",
        "$(rm -rf /)",
        "`id`",
        "a;b",
        "a&&b",
        "a|b",
        "line\nbreak",
        "\"double\"",
        "'single'",
        "back\\slash",
        "*",
        "~",
        "$HOME",
        "${x:-y}",
        "#comment",
        "tab\there",
        "x=y",
        "--option",
        "-",
        "héllo ✓",
        "'",
        "''",
        "\"'\"",
        "!bang",
        "a\\'b",
        "(sub)",
        "<in",
        ">out",
        "{a,b}",
        "[ab]",
        "\r\n",
        " leading and trailing "
    };

    @Test
    void wordsOfSafeCharactersStayAsTheyAre() {
        assertThat(ShellQuote.quote("abc")).isEqualTo("abc");
        assertThat(ShellQuote.quote("/opt/rocketmq-5.3.3/lib/a.jar")).isEqualTo("/opt/rocketmq-5.3.3/lib/a.jar");
        assertThat(ShellQuote.quote("-Duser.home=/x,y:z@h%2B")).isEqualTo("-Duser.home=/x,y:z@h%2B");
    }

    @Test
    void otherWordsAreSingleQuoted() {
        assertThat(ShellQuote.quote("a b")).isEqualTo("'a b'");
        assertThat(ShellQuote.quote("it's")).isEqualTo("'it'\"'\"'s'");
        assertThat(ShellQuote.quote("")).isEqualTo("''");
        assertThat(ShellQuote.quote("$(rm -rf /)")).isEqualTo("'$(rm -rf /)'");
    }

    @Test
    void aLeadingAssignmentLikeWordIsQuotedSoItStaysTheProgram() {
        assertThat(ShellQuote.join(List.of("A=b", "c=d"))).isEqualTo("'A=b' c=d");
    }

    @Test
    void aNulCharacterCannotBeQuoted() {
        assertThatThrownBy(() -> ShellQuote.quote("a\0b")).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/bin/sh", "/bin/bash"})
    void aShellReadsEveryQuotedWordBackAsTheOriginal(String shell) {
        assumeTrue(Files.isExecutable(Path.of(shell)), shell + " is not installed");
        for (String original : NASTY) {
            String line = "printf %s " + ShellQuote.quote(original);
            ExecResult result = LocalHost.instance().exec(List.of(shell, "-c", line), TIMEOUT);

            assertThat(result.stdout()).as("%s reading %s", shell, line).isEqualTo(original);
        }
    }

    @Test
    void aNestedShellGetsTheOriginalAsItsPositionalArgument() {
        for (String original : NASTY) {
            String line = "sh -c 'printf %s \"$1\"' sh " + ShellQuote.quote(original);
            ExecResult result = LocalHost.instance().exec(List.of("/bin/sh", "-c", line), TIMEOUT);

            assertThat(result.ok()).isTrue();
            assertThat(result.stdout()).as(line).isEqualTo(original);
        }
    }

    @Test
    void aJoinedCommandLineRunsTheOriginalArgv() {
        List<String> argv = List.of("printf", "[%s]", NASTY[4], NASTY[5], NASTY[9], NASTY[3], "");
        ExecResult result = LocalHost.instance().exec(List.of("/bin/sh", "-c", ShellQuote.join(argv)), TIMEOUT);

        assertThat(result.stdout()).isEqualTo("[$(rm -rf /)][`id`][line\nbreak][it's][]");
    }
}
