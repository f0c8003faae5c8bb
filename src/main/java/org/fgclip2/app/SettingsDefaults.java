package org.fgclip2.app;

import java.lang.reflect.Field;
import java.util.Map;
import org.fgclip2.app.cli.ModelOptions;
import org.fgclip2.app.config.Settings;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The model options of every command stand for settings of {@code run} ({@code --model} for {@code model}, ...):
 * they take their defaults from the settings table, so that {@code inspect} and {@code run} cannot disagree on
 * what runs when nothing is said.
 */
final class SettingsDefaults implements IDefaultValueProvider {

    private static final Map<String, String> SETTING_OF_OPTION = Map.of(
            "--model", "model",
            "--device", "model.device",
            "--dtype", "model.dtype",
            "--threads", "model.threads");

    @Override
    public String defaultValue(ArgSpec arg) {
        if (arg instanceof OptionSpec option && arg.userObject() instanceof Field field
                && field.getDeclaringClass() == ModelOptions.class) {
            String key = SETTING_OF_OPTION.get(option.longestName());
            return key == null ? null : Settings.BY_KEY.get(key).defaultValue();
        }
        return null;
    }
}
