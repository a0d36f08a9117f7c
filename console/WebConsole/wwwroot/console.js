// Small browser helpers the console's pages call: saving a file the API made.
window.practiceMesh = {
  saveFile: function (name, contentType, base64) {
    const link = document.createElement('a');
    link.href = 'data:' + contentType + ';base64,' + base64;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
  },
};
