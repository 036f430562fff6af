// A JupyterLab extension in plain JavaScript, with nothing to build. JupyterLab loads this file,
// initialises the container it registers in window._JUPYTERLAB, asks it for "./extension" and
// activates the plugin it gets back.
//
// The plugin does two things.
//
// It lists the chapters (chapters/<part>/<name>.md that have a paired <name>.ipynb) and
// registers a file type matching exactly their names, whose default viewer is Jupytext's notebook
// view. A double-click then opens a chapter as a notebook, while README.md and other markdown keep
// the editor; "Open With" still offers both.
//
// And opening one of the book's notebooks does not count as an edit. When a kernel connects,
// JupyterLab writes the kernel's language_info (which names the exact Python version) into the
// notebook's metadata, and that alone marks the notebook modified: closing a page that was only
// read would ask to save it, and autosave would write it. The book's notebooks do not carry
// language_info, so the plugin puts the modified flag back as it was after that one change.
(function () {
  "use strict";

  const EXTENSION = "dl-textbook-chapters";
  const FILE_TYPE = "dl-textbook-chapter";
  const NOTEBOOK_VIEW = "Jupytext Notebook";

  async function chapterNames(contents) {
    let parts;
    try {
      parts = await contents.get("chapters", { content: true });
    } catch (error) {
      return []; // JupyterLab was started outside the book's folder
    }
    const names = [];
    for (const part of parts.content.filter((item) => item.type === "directory")) {
      const listing = await contents.get(part.path, { content: true });
      const files = new Set(listing.content.map((item) => item.name));
      for (const item of listing.content) {
        if (item.name.endsWith(".md") && files.has(item.name.slice(0, -3) + ".ipynb")) {
          names.push(item.name);
        }
      }
    }
    return names;
  }

  function literal(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  const BOOK_FOLDERS = ["chapters/", "labs/", "solutions/"];
  const KERNEL_METADATA = new Set(["language_info", "kernelspec"]);
  const watched = new WeakSet();

  function ignoreKernelMetadata(widget) {
    const context = widget && widget.context;
    const model = context && context.model;
    if (!model || !model.metadataChanged || watched.has(model) ||
        !BOOK_FOLDERS.some((folder) => context.path.startsWith(folder))) {
      return; // not a notebook of the book, or already watched
    }
    watched.add(model);
    model.metadataChanged.connect((sender, change) => {
      if (KERNEL_METADATA.has(change.key)) {
        const before = model.dirty;
        // The change marks the model dirty right after this signal; undo that, and only that.
        Promise.resolve().then(() => {
          model.dirty = before;
        });
      }
    });
  }

  const plugin = {
    id: EXTENSION + ":plugin",
    description: "Opens the book's chapters as notebooks with a double-click; connecting a kernel is not an edit.",
    autoStart: true,
    activate: async (app) => {
      app.shell.currentChanged.connect((shell, change) => ignoreKernelMetadata(change.newValue));
      const names = await chapterNames(app.serviceManager.contents);
      if (names.length === 0) {
        return;
      }
      const notebook = app.docRegistry.getFileType("notebook");
      app.docRegistry.addFileType(
        {
          name: FILE_TYPE,
          displayName: "Chapter of the book (MyST notebook)",
          contentType: "notebook",
          extensions: [],
          mimeTypes: ["text/markdown"],
          pattern: "^(" + names.map(literal).join("|") + ")$",
          icon: notebook ? notebook.icon : undefined,
        },
        [NOTEBOOK_VIEW]
      );
    },
  };

  window._JUPYTERLAB = window._JUPYTERLAB || {};
  window._JUPYTERLAB[EXTENSION] = {
    init: () => Promise.resolve(),
    get: (module) =>
      module === "./extension"
        ? Promise.resolve(() => ({ __esModule: true, default: plugin }))
        : Promise.reject(new Error(EXTENSION + " has no module " + module)),
  };
})();
