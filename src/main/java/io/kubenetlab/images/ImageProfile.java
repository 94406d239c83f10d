package io.kubenetlab.images;

import java.util.List;

/**
 * How the netns runtime runs an image without the image: host binaries, plus small shims (resources
 * under {@code io/kubenetlab/images/<shimDir>}) put first on PATH. {@code entrypoint} and {@code cmd}
 * play the image's ENTRYPOINT and CMD.
 */
public record ImageProfile(String name, List<String> images, String description, String shimDir,
                           List<String> shims, List<String> entrypoint, List<String> cmd, List<String> hostTools) {

    /** True when {@code image} (without registry or {@code library/}) is one this profile stands in for. */
    public boolean matches(String image) {
        String bare = ImageCatalog.bareName(image);
        for (String pattern : images) {
            if (pattern.endsWith("*") ? bare.startsWith(pattern.substring(0, pattern.length() - 1)) : bare.equals(pattern)) {
                return true;
            }
        }
        return false;
    }
}
