package org.ringchat.shell.internal;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;

import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.apache.felix.service.command.CommandSession;
import org.ringchat.shell.commands.ChatCommands;
import org.ringchat.shell.commands.CommandTable;

/**
 * A {@link LineRunner} on a {@link FakeGroupChat} and a real Gogo runtime with the commands of scope
 * "test" ({@link TestCommands}); what it prints is collected.
 */
final class ShellFixture implements AutoCloseable {

    /** Commands in scope "test", for the lines that go to Gogo. */
    public static final class TestCommands {
        public String hello(String name) {
            return "hello " + name;
        }
    }

    final FakeGroupChat chat = new FakeGroupChat();
    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
    private final ThreadIOImpl threadIO = new ThreadIOImpl();
    private final CommandProcessorImpl processor;
    private final CommandSession session;
    final LiveEvents events = new LiveEvents(chat.me.peerId(), chat.groups(), ZoneOffset.UTC, err::println, out::println);
    final LineRunner runner;

    ShellFixture() {
        threadIO.start();
        processor = new CommandProcessorImpl(threadIO);
        processor.addCommand("test", new TestCommands());
        session = processor.createSession(InputStream.nullInputStream(), out, err);
        session.put("SCOPE", ShellSession.SCOPE);
        runner = new LineRunner(new CommandTable(new ChatCommands(chat, Duration.ofMillis(50), ZoneOffset.UTC)), chat,
                events, session, out, err);
    }

    /** The Gogo runtime, for a session of another's. */
    CommandProcessorImpl processor() {
        return processor;
    }

    List<String> out() {
        return outBytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    List<String> err() {
        return errBytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Override
    public void close() {
        session.close();
        threadIO.stop();
    }
}
